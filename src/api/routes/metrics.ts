/**
 * `GET /metrics`: Prometheus exposition of this node (queue depth, jobs by outcome,
 * render and queue-wait times, HTTP latency by route, SSE subscribers). Public like
 * `/healthz`: it holds counts, never keys or prompts; restrict it at the proxy if needed.
 */
import type { FastifyInstance } from 'fastify';
import type { Retake } from '../../retake.ts';

export function registerMetrics(app: FastifyInstance, retake: Retake): void {
  app.get('/metrics', {
    config: {
      doc: {
        summary: 'Prometheus metrics of this node',
        tags: ['service'],
        responses: { 200: { description: 'Prometheus text format', contentType: 'text/plain' } },
      },
    },
  }, async (_request, reply) => {
    const { contentType, body } = await retake.metrics.scrape();
    return reply.type(contentType).send(body);
  });

  // Timed by route pattern, so `/api/ai/queue/:id` is one series whatever the id.
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    retake.metrics.httpRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
}
