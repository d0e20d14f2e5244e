/** `POST /api/ai/estimate`: validate and price a queue request without running it. */
import type { FastifyInstance } from 'fastify';
import type { Retake } from '../../retake.ts';
import { keyOf } from '../route-config.ts';
import { generationBodySchema, videoRequestSchema } from '../schemas.ts';
import { parseGenerationBody } from '../generation-body.ts';

export function registerEstimate(app: FastifyInstance, retake: Retake): void {
  app.post('/api/ai/estimate', {
    config: {
      doc: {
        summary: 'Validate and price a request without queueing it',
        tags: ['queue'],
        body: generationBodySchema(['model', 'num_generations', 'webhook_url', 'response_format']),
        responses: {
          200: {
            description: 'The validated request (defaults applied) and its price',
            schema: {
              type: 'object',
              properties: {
                model: { type: 'string' },
                request: videoRequestSchema(),
                num_generations: { type: 'integer' },
                unit_cost: { type: 'number' },
                total_cost: { type: 'number' },
                currency: { const: 'USD' },
                warnings: { type: 'array', items: { type: 'string' } },
                interpretation: {
                  type: 'object',
                  description: 'What the engine will understand of the request, as recorded on the generation after a run (retake-local: style, palette, modifiers, used and ignored words, confidence, runner-up)',
                },
              },
            },
          },
        },
      },
    },
  }, async (request) => {
    const body = parseGenerationBody(request.body, { num_generations: true, webhook_url: true, response_format: true });
    return retake.generations.estimate({ key: keyOf(request), model: body.model, body: body.request, count: body.count, webhookUrl: body.webhookUrl });
  });
}
