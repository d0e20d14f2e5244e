/**
 * The operator port of a worker process (`--role worker` with RETAKE_METRICS_PORT): a
 * worker serves no API, yet its render timings, job outcomes and readiness must be
 * scrapable. This server answers only `/metrics`, `/readyz` and `/healthz` — the same
 * handlers as the API's, so a worker reads exactly like an API node to Prometheus and
 * to an orchestrator. No API routes and no auth: it exposes only operational data.
 */
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Retake } from '../retake.ts';
import { installErrorEnvelope } from '../http/error-envelope.ts';
import { registerHealth } from './routes/health.ts';
import { registerMetrics } from './routes/metrics.ts';
import { registerReady } from './routes/ready.ts';

/**
 * Build the operator server over an assembled retake (not listening yet).
 * It stays open while the worker drains, so `/readyz` reports the drain (503).
 */
export function buildOperatorServer(retake: Retake): FastifyInstance {
  const app = Fastify({
    loggerInstance: retake.logger,
    // Scrapes every few seconds would drown the job logs.
    logController: new LogController({ disableRequestLogging: true }),
  }) as unknown as FastifyInstance;
  installErrorEnvelope(app);
  registerHealth(app, retake);
  registerReady(app, retake);
  registerMetrics(app, retake);
  return app;
}
