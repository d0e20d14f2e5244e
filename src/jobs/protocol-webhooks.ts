/**
 * Webhooks of generations submitted through another protocol (Replicate, fal). Each
 * event is observed where it is published — once across every process — and, when its
 * generation asked for such a webhook, the protocol's own formatter decides whether
 * this event is delivered and renders its body, which goes into the durable outbox
 * under `<generation id>.<event id>`. The signature is made at send time by the
 * protocol's signer, found again from the delivery id, so the outbox stores no
 * functions and every attempt signs with a fresh timestamp. The protocols supply the
 * formatters; jobs only carries them, so nothing here imports upward.
 */
import type { EventBus } from '../events/types.ts';
import type { GenerationRow, StoredEvent, Store, WebhookOptions } from '../store/types.ts';
import { deliveryId, generationOf } from './webhook-outbox.ts';
import type { WebhookDelivery } from './webhooks.ts';
import type { WebhookSigner } from './webhook-signing.ts';

export interface RenderedWebhook {
  body: string;
}

/** One protocol's webhook shape. */
export interface WebhookFormatter {
  /** The delivery for `event`, or undefined when this event is not sent. */
  render(row: GenerationRow, event: StoredEvent): Promise<RenderedWebhook | undefined>;
  /** How its deliveries are signed; default retake's own signature. */
  signer?(row: GenerationRow): WebhookSigner;
}

export type WebhookFormatters = Partial<Record<WebhookOptions['format'], WebhookFormatter>>;

/** Remembered "no protocol webhook" answers, so progress events do not re-read rows. */
const PLAIN_CACHE = 5000;

export function createProtocolWebhooks(deps: {
  store: Pick<Store, 'generations'>;
  formatters: WebhookFormatters;
  /** Store a delivery durably; `id` makes a repeat a no-op. */
  enqueue: (delivery: WebhookDelivery, id: string) => Promise<void>;
  onError: (err: unknown) => void;
}) {
  const plain = new Set<string>();

  async function handle(event: StoredEvent): Promise<void> {
    if (plain.has(event.generation_id)) return;
    const row = await deps.store.generations.get(event.generation_id);
    const format = row?.webhook_options?.format;
    const formatter = format ? deps.formatters[format] : undefined;
    if (!row || !row.webhook_url || !formatter) {
      if (plain.size >= PLAIN_CACHE) plain.clear();
      plain.add(event.generation_id);
      return;
    }
    const rendered = await formatter.render(row, event);
    if (!rendered) return;
    await deps.enqueue({ url: row.webhook_url, event: event.type, payload: {}, body: rendered.body }, deliveryId(row.id, event.id));
  }

  return {
    /** The signer of a delivery (by the generation in its id); undefined: retake's own. */
    async signerOf(id: string): Promise<WebhookSigner | undefined> {
      const generationId = generationOf(id);
      const row = generationId === undefined ? undefined : await deps.store.generations.get(generationId);
      const format = row?.webhook_options?.format;
      return row && format ? deps.formatters[format]?.signer?.(row) : undefined;
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
