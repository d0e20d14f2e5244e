/**
 * `GET /api/keys/me`: what the calling key may do (name, HDR access, budget, spend), so
 * a client such as the Workbench can show entitlements before a request is refused.
 */
import type { FastifyInstance } from 'fastify';
import type { Retake } from '../../retake.ts';
import { keyOf } from '../../http/route-config.ts';

export function registerKeysMe(app: FastifyInstance, retake: Retake): void {
  app.get('/api/keys/me', {
    config: {
      doc: {
        summary: 'The calling key: name, HDR access, budget and spend so far',
        tags: ['keys'],
        responses: {
          200: {
            description: 'The key (never its secret)',
            schema: {
              type: 'object',
              properties: {
                name: { type: 'string' },
                prefix: { type: 'string' },
                hdr_access: { type: 'boolean' },
                budget_usd: { type: ['number', 'null'] },
                spent_usd: { type: 'number' },
              },
            },
          },
        },
      },
    },
  }, async (request) => {
    const key = keyOf(request);
    return {
      name: key.name,
      prefix: key.prefix,
      hdr_access: key.hdr_access,
      budget_usd: key.budget_usd,
      spent_usd: await retake.generations.totalCost(key.id),
    };
  });
}
