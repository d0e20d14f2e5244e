/**
 * What a webhook delivery sends, and how it is signed. Two kinds of delivery wait in
 * the outbox:
 * - a generation's final report, `<generation id>.completed`, written with its final
 *   status (in one transaction) and an empty body: the body is rendered here from the
 *   finished row when it is sent — the hub's `media_generation_completed` payload, or
 *   the protocol's own shape for generations submitted through Replicate or fal;
 * - the other events a protocol's webhook asks for (Replicate's `start` and `logs`),
 *   observed where they are published and queued under `<generation id>.<event id>`.
 * Every delivery of a key's generation is signed with that key's webhook secret
 * ({@link keyWebhookSecret}), retake's way unless the protocol signs its own way; the
 * signature is made at send time, so every attempt signs with a fresh timestamp. The
 * protocols supply the formatters; jobs only carries them, so nothing here imports
 * upward.
 */
import type { EventBus } from '../events/types.ts';
import { generationOf } from '../store/outbox-queries.ts';
import type { GenerationRow, StoredEvent, Store, WebhookOptions } from '../store/types.ts';
import { completedEvent } from './event-payloads.ts';
import { deliveryId } from './webhook-outbox.ts';
import { bodyOf, type WebhookDelivery } from './webhooks.ts';
import { keyWebhookSecret, retakeSigner, type WebhookSigner } from './webhook-signing.ts';

export interface RenderedWebhook {
  body: string;
}

/** One protocol's webhook shape. */
export interface WebhookFormatter {
  /** The delivery for `event`, or undefined when this event is not sent. */
  render(row: GenerationRow, event: StoredEvent): Promise<RenderedWebhook | undefined>;
  /** How its deliveries are signed with the key's secret; default retake's own signature. */
  signer?(keySecret: string): WebhookSigner;
}

export type WebhookFormatters = Partial<Record<WebhookOptions['format'], WebhookFormatter>>;

/** Remembered "no protocol webhook" answers, so progress events do not re-read rows. */
const PLAIN_CACHE = 5000;

const isEnd = (type: string) => type === 'media_generation_completed' || type === 'media_generation_cancelled';

/** The event that ended a finished row, as it was published. */
function endEvent(row: GenerationRow, blobUrl: (key: string) => string): StoredEvent {
  const end = completedEvent(row, blobUrl);
  const cancelled = row.status === 'cancelled';
  return {
    id: 0, key_id: row.key_id, generation_id: row.id, created_at: row.completed_at ?? 0,
    type: cancelled ? 'media_generation_cancelled' : end.type,
    data: end.data,
  };
}

export function createProtocolWebhooks(deps: {
  store: Pick<Store, 'generations'>;
  formatters: WebhookFormatters;
  serverSecret: string;
  blobUrl: (key: string) => string;
  /** Store a delivery durably; `id` makes a repeat a no-op. */
  enqueue: (delivery: WebhookDelivery, id: string) => Promise<void>;
  onError: (err: unknown) => void;
}) {
  const plain = new Set<string>();
  const formatterOf = (row: GenerationRow) => {
    const format = row.webhook_options?.format;
    return format ? deps.formatters[format] : undefined;
  };

  async function handle(event: StoredEvent): Promise<void> {
    // The end is queued with the final status itself (see `finalBody`).
    if (isEnd(event.type) || plain.has(event.generation_id)) return;
    const row = await deps.store.generations.get(event.generation_id);
    const formatter = row && formatterOf(row);
    if (!row || !row.webhook_url || !formatter) {
      if (plain.size >= PLAIN_CACHE) plain.clear();
      plain.add(event.generation_id);
      return;
    }
    const rendered = await formatter.render(row, event);
    if (!rendered) return;
    await deps.enqueue({ url: row.webhook_url, event: event.type, payload: {}, body: rendered.body }, deliveryId(row.id, event.id));
  }

  /** The final report of a finished row; undefined when its receiver did not ask for it. */
  async function finalBody(row: GenerationRow): Promise<{ event: string; body: string } | undefined> {
    const end = endEvent(row, deps.blobUrl);
    const formatter = formatterOf(row);
    if (!formatter) return { event: 'media_generation_completed', body: bodyOf({ url: '', event: 'media_generation_completed', payload: end.data }) };
    const rendered = await formatter.render(row, end);
    return rendered && { event: end.type, body: rendered.body };
  }

  return {
    /**
     * `delivery` as it is sent: signed with its key's secret, and a final report's body
     * rendered. Undefined when there is nothing to send (the receiver filtered it out).
     */
    async prepare(delivery: WebhookDelivery, id: string): Promise<WebhookDelivery | undefined> {
      const generationId = generationOf(id);
      const row = generationId === undefined ? undefined : await deps.store.generations.get(generationId);
      if (!row) return delivery.body === '' ? undefined : delivery;
      const secret = keyWebhookSecret(deps.serverSecret, row.key_id);
      const signer = formatterOf(row)?.signer?.(secret) ?? retakeSigner(secret);
      if (delivery.body !== '') return { ...delivery, signer };
      const final = await finalBody(row);
      return final && { ...delivery, ...final, signer };
    },
    /** Observe one published event; never throws. */
    onEvent(event: StoredEvent): void {
      handle(event).catch(deps.onError);
    },
  };
}

/** The same bus, with `observer` called for every event this process publishes. */
export function observePublish(bus: EventBus, observer: (event: StoredEvent) => void): EventBus {
  return {
    async publish(event) {
      const stored = await bus.publish(event);
      observer(stored);
      return stored;
    },
    subscribe: (keyId, listener) => bus.subscribe(keyId, listener),
    close: () => bus.close(),
  };
}
