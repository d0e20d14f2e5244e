/**
 * The asynchronous queue: `POST /api/ai/queue` validates and queues up to four
 * generations, `GET /api/ai/queue` lists the key's own (newest first, filterable),
 * `GET /api/ai/queue/:id` reads one and `DELETE /api/ai/queue/:id` cancels it.
 */
import type { FastifyInstance } from 'fastify';
import type { Retake } from '../../retake.ts';
import type { GenerationStatus } from '../../store/types.ts';
import { toQueueRow } from '../queue-row.ts';
import { keyOf } from '../../http/route-config.ts';
import { generationBodySchema, idParams, queueRowSchema, statusEnum } from '../schemas.ts';
import { parseGenerationBody } from '../generation-body.ts';
import { submitOnce } from '../../http/submit-once.ts';

const listQuery = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: statusEnum },
    model: { type: 'string', maxLength: 200 },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
    offset: { type: 'integer', minimum: 0, default: 0 },
  },
} as const;

interface ListQuery {
  status?: GenerationStatus;
  model?: string;
  limit: number;
  offset: number;
}

export function registerQueue(app: FastifyInstance, retake: Retake): void {
  const format = (row: Parameters<typeof toQueueRow>[0]) => toQueueRow(row, (k) => retake.blobUrl(k));

  app.post('/api/ai/queue', {
    config: {
      doc: {
        summary: 'Queue generations (validated and priced before anything is queued)',
        tags: ['queue'],
        body: generationBodySchema(['model', 'num_generations', 'webhook_url']),
        responses: {
          200: {
            description: 'The queued generations',
            schema: {
              type: 'object',
              required: ['generations'],
              properties: {
                generations: {
                  type: 'array',
                  items: { type: 'object', required: ['generation_id', 'status'], properties: { generation_id: { type: 'string' }, status: { const: 'queued' } } },
                },
              },
            },
          },
        },
      },
    },
  }, async (request) => {
    const body = parseGenerationBody(request.body, { num_generations: true, webhook_url: true });
    const rows = await submitOnce(retake, request, {
      key: keyOf(request), model: body.model, body: body.request, count: body.count, webhookUrl: body.webhookUrl,
    });
    request.sideEffect = true;
    return { generations: rows.map((r) => ({ generation_id: r.id, status: r.status })) };
  });

  app.get<{ Querystring: ListQuery }>('/api/ai/queue', {
    schema: { querystring: listQuery },
    config: {
      doc: {
        summary: "List this key's generations, newest first",
        tags: ['queue'],
        responses: {
          200: {
            description: 'Generations and the number matching the filters',
            schema: { type: 'object', required: ['generations', 'count'], properties: { generations: { type: 'array', items: queueRowSchema }, count: { type: 'integer' } } },
          },
        },
      },
    },
  }, async (request) => {
    const q = request.query;
    const { rows, total } = await retake.generations.list({
      key_id: keyOf(request).id, status: q.status, model: q.model, limit: q.limit, offset: q.offset,
    });
    return { generations: rows.map(format), count: total };
  });

  const rowDoc = (summary: string) => ({
    summary, tags: ['queue'], responses: { 200: { description: 'The generation', schema: queueRowSchema } },
  });

  app.get<{ Params: { id: string } }>('/api/ai/queue/:id', {
    schema: { params: idParams },
    config: { doc: rowDoc('Read one generation') },
  }, async (request) => format(await retake.generations.get(keyOf(request), request.params.id)));

  app.delete<{ Params: { id: string } }>('/api/ai/queue/:id', {
    schema: { params: idParams },
    config: { doc: rowDoc('Cancel a queued or running generation') },
  }, async (request) => format(await retake.generations.cancel(keyOf(request), request.params.id)));
}
