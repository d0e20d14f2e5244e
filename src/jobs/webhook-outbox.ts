/**
 * Durable webhook delivery. A delivery is written to the store's outbox when its
 * generation ends, and whichever process runs the worker role sends it: leased so two
 * workers never send it at once, retried with exponential backoff on network errors,
 * 429 and 5xx, given up after the last attempt or on any other answer. A restart (or a
 * crash) loses nothing: pending deliveries are still in the outbox, and a delivery whose
 * sender died mid-send is sent again once its lease lapses (at least once; the delivery
 * id in `X-Retake-Delivery` stays the same, so a receiver can drop a duplicate).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Store } from '../store/types.ts';
import { bodyOf, type DeliveryOutcome, type WebhookDelivery } from './webhooks.ts';

/**
 * The id of a delivery about a generation: the generation id, a dot, and what it reports
 * (`completed`, an event id). The same report is then one delivery however often it is
 * queued, and the generation can be read back from the id (log lines, the signer).
 */
export function deliveryId(generationId: string, what: string | number): string {
  return `${generationId}.${what}`;
}

/** The generation a delivery id names (see {@link deliveryId}); undefined for other ids. */
export function generationOf(id: string): string | undefined {
  const dot = id.indexOf('.');
  return dot > 0 ? id.slice(0, dot) : undefined;
}

export interface OutboxOptions {
  store: Store;
  /** One attempt at a delivery (the webhook sender's `attempt`). */
  attempt(delivery: WebhookDelivery, id: string): Promise<DeliveryOutcome>;
  logger: Logger;
  /** Attempts in all, default 6. */
  attempts?: number;
  /** First retry delay, doubled each time; default 1000 ms. */
  baseDelayMs?: number;
  /** How often a worker looks for due deliveries; default 500 ms. */
  pollMs?: number;
  /** How long a claimed delivery is reserved for its sender; default 30 s (longer than an attempt). */
  leaseMs?: number;
}

export interface WebhookOutbox {
  /** Store a delivery; `id` makes a repeat of the same delivery a no-op. Never throws. */
  enqueue(delivery: WebhookDelivery, id?: string): Promise<void>;
  /** Start sending due deliveries (worker role). */
  start(): void;
  /** Deliver everything due now (tests); resolves when this round is done. */
  flush(): Promise<void>;
  /** Stop sending; an attempt in flight finishes first. */
  stop(): Promise<void>;
}

export function createWebhookOutbox(options: OutboxOptions): WebhookOutbox {
  const { store, logger } = options;
  const attempts = options.attempts ?? 6;
  const baseDelayMs = options.baseDelayMs ?? 1000;
  const pollMs = options.pollMs ?? 500;
  const leaseMs = options.leaseMs ?? 30_000;
  const owner = randomUUID();
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> | undefined;
  let stopped = false;

  async function sendDue(): Promise<void> {
    const due = await store.outbox.claimDue(owner, Date.now(), leaseMs, 20);
    await Promise.all(due.map(async (row) => {
      const outcome = await options.attempt({ url: row.url, event: row.event, payload: {}, body: row.body }, row.id);
      const tried = row.attempts + 1;
      if (outcome === 'ok') {
        await store.outbox.delivered(row.id, Date.now());
      } else if (outcome === 'give_up' || tried >= attempts) {
        logger.warn({ generation_id: generationOf(row.id), url: row.url, delivery: row.id, attempts: tried }, 'webhook not delivered');
        await store.outbox.failed(row.id, outcome, null);
      } else {
        await store.outbox.failed(row.id, outcome, Date.now() + baseDelayMs * 2 ** (tried - 1));
      }
    }));
  }

  function runRound(): Promise<void> {
    round ??= sendDue()
      .catch((err: unknown) => logger.warn({ err }, 'webhook outbox round failed'))
      .finally(() => {
        round = undefined;
      });
    return round;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      void runRound().then(schedule);
    }, pollMs);
  }

  return {
    async enqueue(delivery, id = randomUUID()) {
      await store.outbox.add({ id, url: delivery.url, event: delivery.event, body: bodyOf(delivery), next_try_at: Date.now() })
        .catch((err: unknown) => logger.error({ err, url: delivery.url }, 'webhook could not be queued'));
    },
    start() {
      stopped = false;
      schedule();
    },
    flush: runRound,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await round;
    },
  };
}
