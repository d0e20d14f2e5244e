/**
 * Replicate's webhooks: the prediction object POSTed on `start`, `logs` (each progress
 * step), `output` and `completed`, as chosen by `webhook_events_filter` (by default
 * output and completed, as Replicate documents), signed as Standard Webhooks with the
 * key's `whsec_` secret so `validateWebhook` accepts them.
 */
import type { WebhookFormatter } from '../../jobs/protocol-webhooks.ts';
import { standardWebhooksSigner } from '../../jobs/webhook-signing.ts';
import type { StoredEvent } from '../../store/types.ts';
import { toPrediction, type PredictionContext } from './prediction.ts';

export const WEBHOOK_EVENTS = ['start', 'output', 'logs', 'completed'] as const;
const DEFAULT_EVENTS = ['output', 'completed'];

/** Which of Replicate's webhook events one retake event is. */
function kindsOf(event: StoredEvent): string[] {
  switch (event.type) {
    case 'media_generation_started':
      return ['start'];
    case 'media_generation_progress':
      return ['logs'];
    case 'media_generation_completed':
      return event.data.status === 'succeeded' ? ['output', 'completed'] : ['completed'];
    case 'media_generation_cancelled':
      return ['completed'];
    default:
      return [];
  }
}

export function replicateWebhookFormatter(ctx: PredictionContext): WebhookFormatter {
  return {
    async render(row, event) {
      const wanted = row.webhook_options?.events ?? DEFAULT_EVENTS;
      // One delivery per event even when it is both `output` and `completed`.
      if (!kindsOf(event).some((k) => wanted.includes(k))) return undefined;
      return { body: JSON.stringify(await toPrediction(row, ctx)) };
    },
    signer: standardWebhooksSigner,
  };
}
