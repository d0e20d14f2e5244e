/**
 * `Idempotency-Key` on every POST: the first request with a key runs and its answer is
 * stored; a retry with the same key and the same method, path and body gets the stored
 * status and body back (header `Idempotent-Replayed: true`) without running again, so
 * nothing is queued or charged twice. The same key with another request is a 409
 * `idempotency_conflict`; a retry while the first is still running is a 409
 * `idempotency_in_progress`. Keys are scoped to the API key that sent them.
 *
 * Routes with streamed bodies (uploads) declare `config.idempotency: 'content'`: the
 * hook leaves them alone and the handler calls {@link claimByContent} with the hash of
 * the bytes it received, so a different file of the same size is a 409, not a replay.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RetakeError } from '../errors/index.ts';
import type { Store } from '../store/types.ts';

const HEADER = 'idempotency-key';
const MAX_KEY_LENGTH = 255;

interface Claim {
  keyId: string;
  idemKey: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: Claim | undefined;
  }
  interface FastifyContextConfig {
    /** `'content'`: the handler claims the key itself, with the hash of the streamed body. */
    idempotency?: 'content';
  }
}

/** sha256 of what makes two requests "the same": method, path, query and body. */
function requestHash(request: FastifyRequest, bodyHash?: string): string {
  const h = createHash('sha256');
  h.update(`${request.method} ${request.url}\n`);
  h.update(bodyHash ?? JSON.stringify(request.body ?? null));
  return h.digest('hex');
}

/** The request's Idempotency-Key when it is a keyed POST; throws on a malformed one. */
function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const raw = request.headers[HEADER];
  if (request.method !== 'POST' || raw === undefined || !request.apiKey) return undefined;
  const idemKey = Array.isArray(raw) ? raw[0] ?? '' : raw;
  if (idemKey.length === 0 || idemKey.length > MAX_KEY_LENGTH) {
    throw new RetakeError('bad_request', `Idempotency-Key must be 1..${MAX_KEY_LENGTH} characters`);
  }
  return idemKey;
}

/**
 * Claim the request's key for `hash`: true when this request runs (the claim is
 * recorded on the request), false when a stored answer was sent instead. Throws the
 * 409s for another body or a first request still running.
 */
async function claimOrReplay(store: Store, request: FastifyRequest, reply: FastifyReply, idemKey: string, hash: string): Promise<boolean> {
  const keyId = request.apiKey!.id;
  const existing = await store.idempotency.claim({ key_id: keyId, idem_key: idemKey, request_hash: hash, created_at: Date.now() });
  if (!existing) {
    request.idempotency = { keyId, idemKey };
    return true;
  }
  if (existing.request_hash !== hash) {
    throw new RetakeError('idempotency_conflict', 'This Idempotency-Key was already used with a different request');
  }
  if (existing.status_code === null) {
    throw new RetakeError('idempotency_in_progress', 'The first request with this Idempotency-Key has not finished yet; retry later', {
      headers: { 'retry-after': '1' },
    });
  }
  void reply.code(existing.status_code).header('idempotent-replayed', 'true').send(existing.response);
  return false;
}

/**
 * For `config.idempotency: 'content'` routes, once the body has been read: claim the
 * Idempotency-Key (if any) with the body's sha256. Answers true when the handler goes
 * on; false when a stored answer has been sent (the handler must undo what it stored
 * and return the reply). Throws `idempotency_conflict` for a different body.
 */
export async function claimByContent(store: Store, request: FastifyRequest, reply: FastifyReply, bodySha256: string): Promise<boolean> {
  const idemKey = idempotencyKeyOf(request);
  if (idemKey === undefined) return true;
  return claimOrReplay(store, request, reply, idemKey, requestHash(request, bodySha256));
}

function bodyOf(payload: unknown, contentType: unknown): unknown {
  if (typeof payload !== 'string') return null;
  if (typeof contentType === 'string' && contentType.includes('json')) {
    try {
      return JSON.parse(payload);
    } catch {
      return payload;
    }
  }
  return payload;
}

/** Install the preHandler (claim or replay) and onSend (store the answer) hooks. */
export function installIdempotency(app: FastifyInstance, store: Store): void {
  app.decorateRequest('idempotency', undefined);

  app.addHook('preHandler', async (request, reply) => {
    if (request.routeOptions.config.idempotency === 'content') return;
    const idemKey = idempotencyKeyOf(request);
    if (idemKey === undefined) return;
    if (!(await claimOrReplay(store, request, reply, idemKey, requestHash(request)))) return reply;
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotency;
    if (!claim) return payload;
    request.idempotency = undefined;
    // A server-side failure before anything was queued may succeed on retry: let it run.
    if (reply.statusCode >= 500 && !request.sideEffect) {
      await store.idempotency.release(claim.keyId, claim.idemKey);
    } else {
      await store.idempotency.complete(claim.keyId, claim.idemKey, reply.statusCode, bodyOf(payload, reply.getHeader('content-type')));
    }
    return payload;
  });

  // The client went away before an answer was sent: do not leave the key pending forever.
  app.addHook('onRequestAbort', async (request) => {
    const claim = request.idempotency;
    if (!claim || request.sideEffect) return;
    request.idempotency = undefined;
    await store.idempotency.release(claim.keyId, claim.idemKey);
  });
}
