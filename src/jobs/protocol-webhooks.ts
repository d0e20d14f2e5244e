/**
 * Webhooks of generations submitted through another protocol (Replicate, fal). Each
 * event is observed where it is published — once across every process — and, when its
 * generation asked for such a webhook, the protocol's own formatter decides whether
 * this event is delivered and renders the body and its signer. The protocols supply
 * the formatters; jobs only carries them, so nothing here imports upward.
 */
import type { EventBus } from '../events/types.ts';
import type { GenerationRow, StoredEvent, Store, WebhookOptions } from '../store/types.ts';
import type { WebhookDelivery } from './webhooks.ts';
import type { WebhookSigner } from './webhook-signing.ts';

export interface RenderedWebhook {
  body: string;
  signer?: WebhookSigner;
}

/** One protocol's webhook shape. */
export interface WebhookFormatter {
  /** The delivery for `event`, or undefined when this event is not sent. */
  render(row: GenerationRow, event: StoredEvent): Promise<RenderedWebhook | undefined>;
}

export type WebhookFormatters = Partial<Record<WebhookOptions['format'], WebhookFormatter>>;

/** Remembered "no protocol webhook" answers, so progress events do not re-read rows. */
const PLAIN_CACHE = 5000;

export function createProtocolWebhooks(deps: {
  store: Pick<Store, 'generations'>;
  formatters: WebhookFormatters;
  send: (delivery: WebhookDelivery) => void;
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
    deps.send({ url: row.webhook_url, event: event.type, payload: {}, body: rendered.body, signer: rendered.signer });
  }

  return {
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
