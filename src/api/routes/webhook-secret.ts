/**
 * `GET /api/webhooks/secret`: the calling key's webhook signing secret. Every webhook
 * of the key's generations (hub, fal and Replicate alike) is signed with it, so a
 * receiver verifies with its own key's secret and another key's deliveries fail there.
 * Replicate's clients read the same secret from `GET /v1/webhooks/default/secret`.
 */
import type { FastifyInstance } from 'fastify';
import { keyWebhookSecret } from '../../jobs/webhook-signing.ts';
import type { Retake } from '../../retake.ts';
import { keyOf } from '../../http/route-config.ts';

export function registerWebhookSecret(app: FastifyInstance, retake: Retake): void {
  app.get('/api/webhooks/secret', {
    config: {
      doc: {
        summary: 'The calling key\'s webhook signing secret (verifies X-Retake-Signature of its webhooks)',
        tags: ['keys'],
        responses: {
          200: {
            description: 'The secret; the HMAC-SHA256 key of `X-Retake-Signature` is this whole string',
            schema: { type: 'object', properties: { key: { type: 'string' } } },
          },
        },
      },
    },
  }, async (request) => ({ key: keyWebhookSecret(retake.serverSecret, keyOf(request).id) }));
}
