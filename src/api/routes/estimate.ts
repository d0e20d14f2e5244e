/** `POST /api/ai/estimate`: validate and price a queue request without running it. */
import type { FastifyInstance } from 'fastify';
import { estimateInterpretationSchema } from '../../engines/index.ts';
import type { Retake } from '../../retake.ts';
import { keyOf } from '../../http/route-config.ts';
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
                interpretation: estimateInterpretationSchema,
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
