/**
 * fal's webhook (`?fal_webhook=`): once the request is done, `{request_id,
 * gateway_request_id, status: "OK", payload}` or `{..., status: "ERROR", error,
 * payload: {detail, error_type}}`. fal signs with its own key pair, which a self-hosted
 * server cannot; these carry retake's `X-Retake-Signature` instead.
 */
import type { WebhookFormatter } from '../../jobs/protocol-webhooks.ts';
import { falErrorBody } from './errors.ts';
import { failureOf, falResult } from './status.ts';

export function falWebhookFormatter(blobUrl: (key: string) => string): WebhookFormatter {
  return {
    async render(row, event) {
      if (event.type !== 'media_generation_completed' && event.type !== 'media_generation_cancelled') return undefined;
      const failure = failureOf(row);
      const base = { request_id: row.id, gateway_request_id: row.id };
      const body = failure
        ? { ...base, status: 'ERROR', error: failure.detail, payload: falErrorBody(failure) }
        : { ...base, status: 'OK', payload: falResult(row, blobUrl) };
      return { body: JSON.stringify(body) };
    },
  };
}
