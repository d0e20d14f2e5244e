/**
 * One log line per request, written when the answer has been sent: method, path,
 * status, time, and the error code when there was one. A client's mistake (4xx) is
 * the client's business: info, no stack. A 5xx the service meant to send (hosted
 * model not configured, shutting down, timed out) is a warning with its detail; only
 * an unexpected failure is an error, with the cause and its stack.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ErrorCode, RetakeError } from '../errors/index.ts';

/** Codes that mean something went wrong that nobody planned for. */
const UNEXPECTED: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['internal_error', 'render_failed']);

const failures = new WeakMap<FastifyRequest, RetakeError>();

/** Remember the error a request is answered with, for its log line. */
export function recordFailure(request: FastifyRequest, err: RetakeError): void {
  failures.set(request, err);
}

/** Log every request once, on response. Install on the root instance before the routes. */
export function installRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    const err = failures.get(request);
    const line = {
      method: request.method,
      path: (request.url.split('?')[0] ?? '').slice(0, 200),
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
      ...(err ? { code: err.code } : {}),
    };
    if (err && UNEXPECTED.has(err.code)) request.log.error({ ...line, err: err.cause ?? err }, 'request failed');
    else if (reply.statusCode >= 500) request.log.warn({ ...line, ...(err ? { detail: err.detail } : {}) }, 'request');
    else request.log.info(line, 'request');
  });
}
