/**
 * Webhook sending: one attempt POSTs a delivery, signed (HMAC-SHA256 by default, or the
 * delivery's own signer: its key's secret, see `protocol-webhooks.ts`); the outbox
 * decides about retries. The target goes through the same address guard as input URLs
 * (no requests into the private network unless RETAKE_ALLOW_PRIVATE_URLS=1).
 *
 * Signature: header `X-Retake-Signature: t=<unix seconds>,v1=<hex>` where hex is
 * HMAC-SHA256(secret, `<t>.<raw body>`) — verify it and reject old `t` to stop replays.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { Agent, request } from 'undici';
import { guardedLookup, systemResolver } from '../net/index.ts';
import { retakeSigner, type WebhookSigner } from './webhook-signing.ts';

export interface WebhookOptions {
  secret: string;
  allowPrivate: boolean;
  logger: Logger;
  /** Delivery attempts in all, default 6 (about a minute of backoff). */
  attempts?: number;
  /** First retry delay, doubled each time; default 1000 ms. */
  baseDelayMs?: number;
  /** Per-attempt timeout, default 10 s. */
  timeoutMs?: number;
}

export interface WebhookDelivery {
  url: string;
  event: string;
  payload: Record<string, unknown>;
  /** The exact body to send instead of `{type: event, ...payload}` (other protocols' shapes). */
  body?: string;
  /** Signs the body; default: retake's `X-Retake-Signature` with the server secret. */
  signer?: WebhookSigner;
}

/** What one delivery attempt came to: delivered, worth another try, or refused for good. */
export type DeliveryOutcome = 'ok' | 'retry' | 'give_up';

/** The exact body a delivery sends. */
export function bodyOf(delivery: WebhookDelivery): string {
  return delivery.body ?? JSON.stringify({ type: delivery.event, ...delivery.payload });
}

/** `t=<unix>,v1=<hex>` for a raw body. */
export function signWebhook(secret: string, body: string, at = Math.floor(Date.now() / 1000)): string {
  return retakeSigner(secret)({ id: '', timestamp: at, body })['x-retake-signature']!;
}

export function createWebhookSender(options: WebhookOptions) {
  const attempts = options.attempts ?? 6;
  const baseDelayMs = options.baseDelayMs ?? 1000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const dispatcher = new Agent({
    connect: options.allowPrivate ? {} : { lookup: guardedLookup(systemResolver) },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const defaultSigner = retakeSigner(options.secret);
  const pending = new Set<Promise<void>>();
  // Shutdown ends the backoff waits and requests in flight (retries are in memory only).
  const stopping = new AbortController();

  async function attempt(delivery: WebhookDelivery, id: string): Promise<DeliveryOutcome> {
    const body = bodyOf(delivery);
    const sign = delivery.signer ?? defaultSigner;
    try {
      const res = await request(delivery.url, {
        method: 'POST',
        dispatcher,
        body,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'retake-webhooks',
          'x-retake-event': delivery.event,
          'x-retake-delivery': id,
          ...sign({ id, timestamp: Math.floor(Date.now() / 1000), body }),
        },
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), stopping.signal]),
      });
      await res.body.dump();
      if (res.statusCode < 300) return 'ok';
      return res.statusCode === 429 || res.statusCode >= 500 ? 'retry' : 'give_up';
    } catch (err) {
      const code = (err as { code?: string }).code;
      return code === 'input_url_blocked' ? 'give_up' : 'retry';
    }
  }

  async function deliver(delivery: WebhookDelivery): Promise<void> {
    const id = randomUUID();
    for (let n = 1; n <= attempts; n++) {
      const outcome = await attempt(delivery, id);
      if (outcome === 'ok') return;
      if (outcome === 'give_up' || n === attempts || stopping.signal.aborted) {
        options.logger.warn({ generation_id: delivery.payload.generation_id, url: delivery.url, delivery: id, attempts: n }, 'webhook not delivered');
        return;
      }
      await sleep(baseDelayMs * 2 ** (n - 1), undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  }

  return {
    /**
     * One attempt at `delivery` with the delivery id `id` (the same on every retry, so
     * receivers can drop duplicates). The outbox uses this; it never throws.
     */
    attempt,
    /** Start delivering in the background, retrying in memory; never throws. */
    send(delivery: WebhookDelivery): void {
      const task = deliver(delivery).finally(() => pending.delete(task));
      pending.add(task);
    },
    /** Wait for deliveries under way (tests, shutdown). */
    async drain(): Promise<void> {
      await Promise.allSettled([...pending]);
    },
    /** Stop retrying, end what is in flight, release the connection pool. */
    async close(): Promise<void> {
      stopping.abort();
      await Promise.allSettled([...pending]);
      await dispatcher.close();
    },
  };
}
