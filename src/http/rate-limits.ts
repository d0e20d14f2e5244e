/**
 * Per-key rate limits: one bucket for submits (every POST and DELETE: generations,
 * estimates, uploads, cancels) and a much larger one for reads (status lookups, history,
 * events), each per minute. Past a limit the answer is 429 `rate_limited` with
 * `Retry-After`. Counted after authentication, by key id (by address for the few
 * unauthenticated routes that are limited at all: none today). In scale-out
 * (RETAKE_REDIS_URL) the counters live in Redis so every API node shares them; if Redis
 * is unreachable requests pass rather than fail.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { RetakeError } from '../errors/index.ts';

export interface RateLimitOptions {
  /** Submits per key per minute (RETAKE_RATE_LIMIT_SUBMIT); 0 turns the limit off. */
  submitPerMinute: number;
  /** Reads per key per minute (RETAKE_RATE_LIMIT_READ); 0 turns the limit off. */
  readPerMinute: number;
  /** Share the counters through this Redis (scale-out). */
  redisUrl?: string | undefined;
}

const isRead = (request: FastifyRequest): boolean => request.method === 'GET' || request.method === 'HEAD';

/** Register the limits on `app` (before the routes they cover). */
export async function installRateLimits(app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  if (options.submitPerMinute <= 0 && options.readPerMinute <= 0) return;
  let redis: Redis | undefined;
  if (options.redisUrl) {
    const ioredis = await import('ioredis');
    redis = new ioredis.Redis(options.redisUrl, { connectTimeout: 2000, maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
    redis.on('error', () => undefined);
    // Commands are not queued while disconnected (a limit check must not wait), so wait
    // for the first connection here; if it does not come, requests pass unlimited.
    const ready = redis;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 3000);
      ready.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    app.addHook('onClose', async () => {
      redis?.disconnect();
    });
  }
  await app.register(rateLimit, {
    global: true,
    // After the route's own authentication, so the key is known.
    hook: 'preHandler',
    timeWindow: 60_000,
    ...(redis ? { redis, nameSpace: 'retake-rate:' } : {}),
    skipOnError: true,
    allowList: (request) => !request.apiKey || (isRead(request) ? options.readPerMinute : options.submitPerMinute) <= 0,
    keyGenerator: (request) => `${request.apiKey?.id ?? request.ip}:${isRead(request) ? 'read' : 'submit'}`,
    max: (request) => (isRead(request) ? options.readPerMinute : options.submitPerMinute),
    errorResponseBuilder: (request, context) => new RetakeError(
      'rate_limited',
      `More than ${context.max} ${isRead(request) ? 'reads' : 'submits'} a minute from this key; retry in ${context.after}`,
      { headers: { 'retry-after': String(Math.max(1, Math.ceil(context.ttl / 1000))) } },
    ),
  });
}
