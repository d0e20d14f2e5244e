/**
 * Durable webhook delivery. A generation's final delivery is written to the store's
 * outbox in the same transaction as its final status; whichever process runs the
 * worker role sends it: leased so two workers never send it at once, retried on
 * network errors, 429 and 5xx over about ten hours ({@link RETRY_STEPS}, each delay
 * ±20 % at random so receivers that come back are not hit by every sender at once),
 * given up after the last attempt or on any other answer. A restart (or a crash) loses
 * nothing: pending deliveries are still in the outbox, and a delivery whose sender
 * died mid-send is sent again once its lease lapses (at least once; the delivery id in
 * `X-Retake-Delivery` stays the same, so a receiver can drop a duplicate). Delivered
 * and abandoned rows are deleted after {@link KEEP_DELIVERED_MS}.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { generationOf } from '../store/outbox-queries.ts';
import type { Store } from '../store/types.ts';
import { bodyOf, type DeliveryOutcome, type WebhookDelivery } from './webhooks.ts';

export { deliveryId, generationOf } from '../store/outbox-queries.ts';

/**
 * Delays after each failed attempt, in multiples of the first retry delay
 * (RETAKE_WEBHOOK_BACKOFF_MS, 10 s by default): 10 s, 1 min, 5 min, 30 min, 1 h, 3 h,
 * 6 h. Eight attempts in all, the last about 10.6 hours after the first.
 */
export const RETRY_STEPS: readonly number[] = [1, 6, 30, 180, 360, 1080, 2160];
/** How long delivered (and given-up) deliveries are kept before they are deleted. */
export const KEEP_DELIVERED_MS = 7 * 24 * 3600_000;
const PRUNE_EVERY_MS = 3600_000;

/**
 * The delay before the next attempt after `failed` failed attempts (±20 % jitter), or
 * undefined when the schedule is over.
 */
export function retryDelay(firstMs: number, failed: number, random: () => number = Math.random): number | undefined {
  const step = RETRY_STEPS[failed - 1];
  return step === undefined ? undefined : Math.round(firstMs * step * (0.8 + 0.4 * random()));
}

export interface OutboxOptions {
  store: Store;
  /** One attempt at a delivery (the webhook sender's `attempt`). */
  attempt(delivery: WebhookDelivery, id: string): Promise<DeliveryOutcome>;
  logger: Logger;
  /** First retry delay, the unit of {@link RETRY_STEPS}; default 10 s. */
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
  const baseDelayMs = options.baseDelayMs ?? 10_000;
  const pollMs = options.pollMs ?? 500;
  const leaseMs = options.leaseMs ?? 30_000;
  const owner = randomUUID();
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> | undefined;
  let stopped = false;
  let prunedAt = 0;

  async function sendDue(): Promise<void> {
    if (Date.now() - prunedAt >= PRUNE_EVERY_MS) {
      prunedAt = Date.now();
      await store.outbox.prune(prunedAt - KEEP_DELIVERED_MS);
    }
    const due = await store.outbox.claimDue(owner, Date.now(), leaseMs, 20);
    await Promise.all(due.map(async (row) => {
      const outcome = await options.attempt({ url: row.url, event: row.event, payload: {}, body: row.body }, row.id);
      const tried = row.attempts + 1;
      const delay = retryDelay(baseDelayMs, tried);
      if (outcome === 'ok') {
        await store.outbox.delivered(row.id, Date.now());
      } else if (outcome === 'give_up' || delay === undefined) {
        logger.warn({ generation_id: generationOf(row.id), url: row.url, delivery: row.id, attempts: tried }, 'webhook not delivered');
        await store.outbox.failed(row.id, outcome, null);
      } else {
        await store.outbox.failed(row.id, outcome, Date.now() + delay);
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
