/**
 * Generation history in the hub's paged shape: `GET /api/ai/generations?page&page_size`
 * and `GET /api/ai/generations/:id`.
 */
import type { FastifyInstance } from 'fastify';
import type { Retake } from '../../retake.ts';
import { toQueueRow } from '../queue-row.ts';
import { keyOf } from '../../http/route-config.ts';
import { idParams, queueRowSchema } from '../schemas.ts';

const pageQuery = {
  type: 'object',
  properties: {
    // Bounded so that the row offset, (page - 1) * page_size, stays a safe integer the
    // stores can bind (page=1e300 is an integer too).
    page: { type: 'integer', minimum: 1, maximum: 10_000_000, default: 1 },
    page_size: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
  },
} as const;

export function registerHistory(app: FastifyInstance, retake: Retake): void {
  const format = (row: Parameters<typeof toQueueRow>[0]) => toQueueRow(row, (k) => retake.blobUrl(k));

  app.get<{ Querystring: { page: number; page_size: number } }>('/api/ai/generations', {
    schema: { querystring: pageQuery },
    config: {
      doc: {
        summary: "This key's generation history, newest first, paged",
        tags: ['history'],
        responses: {
          200: {
            description: 'One page of the history',
            schema: {
              type: 'object',
              properties: {
                count: { type: 'integer', description: 'Entries on this page' },
                generations: { type: 'array', items: queueRowSchema },
                page_number: { type: 'integer' },
                page_size: { type: 'integer' },
                total_cost: { type: 'number' },
                total_entries: { type: 'integer' },
                total_pages: { type: 'integer' },
              },
            },
          },
        },
      },
    },
  }, async (request) => {
    const key = keyOf(request);
    const { page, page_size: size } = request.query;
    const [{ rows, total }, totalCost] = await Promise.all([
      retake.generations.list({ key_id: key.id, limit: size, offset: (page - 1) * size }),
      retake.generations.totalCost(key.id),
    ]);
    return {
      count: rows.length,
      generations: rows.map(format),
      page_number: page,
      page_size: size,
      total_cost: totalCost,
      total_entries: total,
      total_pages: Math.ceil(total / size),
    };
  });

  app.get<{ Params: { id: string } }>('/api/ai/generations/:id', {
    schema: { params: idParams },
    config: {
      doc: {
        summary: 'One generation of the history',
        tags: ['history'],
        responses: {
          200: {
            description: 'The generation',
            schema: { type: 'object', properties: { generation: queueRowSchema, status: { const: 'success' }, status_message: { const: 'resource_found' } } },
          },
        },
      },
    },
  }, async (request) => ({
    generation: format(await retake.generations.get(keyOf(request), request.params.id)),
    status: 'success',
    status_message: 'resource_found',
  }));
}
