/**
 * `GET /readyz`: readiness for load balancers and orchestrators. Unlike `/healthz`
 * (liveness: the process answers), it checks every dependency a request needs — the
 * store, Redis in scale-out, blob storage — each with a short timeout, and answers 503
 * while one is down or once the node has begun shutting down.
 */
import type { FastifyInstance } from 'fastify';
import { RetakeError } from '../../errors/index.ts';
import type { Retake } from '../../retake.ts';

export function registerReady(app: FastifyInstance, retake: Retake): void {
  app.get('/readyz', {
    config: {
      doc: {
        summary: 'Readiness: the store, Redis (scale-out) and blob storage answer; 503 otherwise or while shutting down',
        tags: ['service'],
        responses: {
          200: {
            description: 'Ready to take traffic',
            schema: { type: 'object', properties: { status: { const: 'ready' }, role: { type: 'string' }, blobs: { type: 'string' } } },
          },
        },
      },
    },
  }, async () => {
    if (retake.draining) throw new RetakeError('service_unavailable', 'This node is shutting down');
    try {
      await retake.ready();
    } catch (err) {
      throw new RetakeError('service_unavailable', `Not ready: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    return { status: 'ready', role: retake.role, blobs: retake.blobs.kind };
  });
}
