/**
 * `Idempotency-Key` on every POST: the first request with a key runs and its answer is
 * stored; a retry with the same key and the same method, path and body gets the stored
 * status and body back (header `Idempotent-Replayed: true`) without running again, so
 * nothing is queued or charged twice. The same key with another request is a 409
 * `idempotency_conflict`; a retry while the first is still running is a 409
 * `idempotency_in_progress`. Keys are scoped to the API key that sent them.
 *
 * A claim has an owner (this process) and an expiry that the running request renews,
 * like a job lease. When the server dies mid-request the claim lapses, and the next
 * retry takes it over: if the first request recorded what it was creating (generation
 * ids, see {@link attachResource}) the retry answers with that instead of creating it
 * again; otherwise it runs. A retry before the claim lapses is still a 409.
 *
 * Routes with streamed bodies (uploads) declare `config.idempotency: 'content'`: the
 * hook leaves them alone and the handler calls {@link claimByContent} with the hash of
 * the bytes it received, so a different file of the same size is a 409, not a replay.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RetakeError } from '../errors/index.ts';
import type { Store } from '../store/types.ts';

const HEADER = 'idempotency-key';
const MAX_KEY_LENGTH = 255;

interface Claim {
  keyId: string;
  idemKey: string;
  /** Renews the claim's expiry while the request runs. */
  renewal: NodeJS.Timeout;
}

/** How this process claims keys: its owner id and the lease length. */
interface Claimer {
  store: Store;
  owner: string;
  leaseMs: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: Claim | undefined;
    /** What a crashed first request with this key recorded it was creating (taken over). */
    idempotencyResume?: unknown;
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
async function claimOrReplay(claimer: Claimer, request: FastifyRequest, reply: FastifyReply, idemKey: string, hash: string): Promise<boolean> {
  const { store, owner, leaseMs } = claimer;
  const keyId = request.apiKey!.id;
  const now = Date.now();
  const existing = await store.idempotency.claim({
    key_id: keyId, idem_key: idemKey, request_hash: hash, created_at: now, owner, expires_at: now + leaseMs,
  });
  if (!existing) {
    holdClaim(claimer, request, keyId, idemKey);
    return true;
  }
  if (existing.request_hash !== hash) {
    throw new RetakeError('idempotency_conflict', 'This Idempotency-Key was already used with a different request');
  }
  if (existing.status_code === null) {
    // Claims from before claims had an expiry lapse one lease after they were made.
    const lapsesAt = existing.expires_at ?? existing.created_at + leaseMs;
    if (lapsesAt < now && (await store.idempotency.takeOver(keyId, idemKey, existing, owner, now + leaseMs))) {
      request.idempotencyResume = existing.resource ?? undefined;
      holdClaim(claimer, request, keyId, idemKey);
      return true;
    }
    throw new RetakeError('idempotency_in_progress', 'The first request with this Idempotency-Key has not finished yet; retry later', {
      headers: { 'retry-after': String(Math.max(1, Math.ceil((lapsesAt - now) / 1000))) },
    });
  }
  void reply.code(existing.status_code).header('idempotent-replayed', 'true').send(existing.response);
  return false;
}

/** Record the claim on the request and keep renewing it while the request runs. */
function holdClaim(claimer: Claimer, request: FastifyRequest, keyId: string, idemKey: string): void {
  const renewal = setInterval(() => {
    claimer.store.idempotency.renew(keyId, idemKey, claimer.owner, Date.now() + claimer.leaseMs)
      .catch((err: unknown) => request.log.warn({ err }, 'could not renew an idempotency claim'));
  }, Math.max(50, Math.floor(claimer.leaseMs / 3)));
  renewal.unref();
  request.idempotency = { keyId, idemKey, renewal };
}

/** Stop renewing the request's claim (it is being answered or dropped). */
function letGo(request: FastifyRequest): Claim | undefined {
  const claim = request.idempotency;
  if (!claim) return undefined;
  clearInterval(claim.renewal);
  request.idempotency = undefined;
  return claim;
}

/**
 * Record on the request's claim (if it has one) what it is about to create, before
 * creating it, so a retry that takes the claim over after a crash answers with it.
 */
export async function attachResource(store: Store, request: FastifyRequest, resource: unknown): Promise<void> {
  const claim = request.idempotency;
  if (claim) await store.idempotency.attach(claim.keyId, claim.idemKey, resource);
}

/**
 * For `config.idempotency: 'content'` routes, once the body has been read: claim the
 * Idempotency-Key (if any) with the body's sha256. Answers true when the handler goes
 * on; false when a stored answer has been sent (the handler must undo what it stored
 * and return the reply). Throws `idempotency_conflict` for a different body.
 */
export async function claimByContent(request: FastifyRequest, reply: FastifyReply, bodySha256: string): Promise<boolean> {
  const idemKey = idempotencyKeyOf(request);
  if (idemKey === undefined) return true;
  const claimer = request.server[CLAIMER];
  return claimOrReplay(claimer, request, reply, idemKey, requestHash(request, bodySha256));
}

const CLAIMER = Symbol('retake.idempotency');

declare module 'fastify' {
  interface FastifyInstance {
    [CLAIMER]: Claimer;
  }
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

/**
 * Install the preHandler (claim or replay) and onSend (store the answer) hooks.
 * @param leaseMs how long a claim outlives its last renewal (a crashed server's claim lapses after it)
 */
export function installIdempotency(app: FastifyInstance, store: Store, leaseMs = 30_000): void {
  app.decorateRequest('idempotency', undefined);
  app.decorateRequest('idempotencyResume', undefined);
  const claimer: Claimer = { store, owner: randomUUID(), leaseMs };
  app.decorate(CLAIMER, claimer);

  app.addHook('preHandler', async (request, reply) => {
    if (request.routeOptions.config.idempotency === 'content') return;
    const idemKey = idempotencyKeyOf(request);
    if (idemKey === undefined) return;
    if (!(await claimOrReplay(claimer, request, reply, idemKey, requestHash(request)))) return reply;
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = letGo(request);
    if (!claim) return payload;
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
    // With a side effect under way the handler still answers (and stores it) later.
    if (!request.idempotency || request.sideEffect) return;
    const claim = letGo(request)!;
    await store.idempotency.release(claim.keyId, claim.idemKey);
  });
}
