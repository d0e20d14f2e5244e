/** `GET /healthz`: liveness and a glance at the queue, for load balancers and operators. */
import type { FastifyInstance } from 'fastify';
import { RetakeError } from '../../errors/index.ts';
import type { Retake } from '../../retake.ts';

export function registerHealth(app: FastifyInstance, retake: Retake): void {
  app.get('/healthz', {
    config: {
      doc: {
        summary: 'Health check',
        tags: ['service'],
        responses: {
          200: {
            description: 'The service is up',
            schema: {
              type: 'object',
              properties: {
                status: { const: 'ok' }, role: { type: 'string' }, queue_depth: { type: 'integer' },
                database: { type: 'string' }, uptime_s: { type: 'number' },
              },
            },
          },
        },
      },
    },
  }, async () => {
    let depth: number;
    try {
      depth = await retake.store.jobs.count();
    } catch (err) {
      throw new RetakeError('service_unavailable', 'The database is not answering', { cause: err });
    }
    return { status: 'ok', role: retake.role, queue_depth: depth, database: retake.store.dialect, uptime_s: Math.round(process.uptime()) };
  });
}
