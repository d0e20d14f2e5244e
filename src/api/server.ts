/**
 * The hub API as one Fastify plugin: every `/api` route, file serving under `/files/`
 * and the OpenAPI document generated from them. It relies on the shared hooks of
 * `http/server.ts` (envelope, auth, idempotency, rate limits, multipart) and knows no
 * protocol; `app.ts` registers it beside them.
 */
import type { FastifyInstance } from 'fastify';
import type { Retake } from '../retake.ts';
import { recordRoutes, registerOpenApi } from './openapi.ts';
import { registerEstimate } from './routes/estimate.ts';
import { registerEvents } from './routes/events.ts';
import { registerFiles } from './routes/files.ts';
import { registerGenerate } from './routes/generate.ts';
import { registerHealth } from './routes/health.ts';
import { registerHistory } from './routes/history.ts';
import { registerKeysMe } from './routes/keys-me.ts';
import { registerMetrics } from './routes/metrics.ts';
import { registerModels } from './routes/models.ts';
import { registerQueue } from './routes/queue.ts';
import { registerReady } from './routes/ready.ts';
import { registerWebhookSecret } from './routes/webhook-secret.ts';

/** Register the hub API's routes on `app` (an encapsulated plugin scope). */
export function hubApi(retake: Retake): (app: FastifyInstance) => Promise<void> {
  return async (app) => {
    // Only the routes of this plugin are recorded: the document describes the hub API.
    const routes = recordRoutes(app);
    registerHealth(app, retake);
    registerReady(app, retake);
    registerMetrics(app, retake);
    registerModels(app, retake);
    registerGenerate(app, retake);
    registerQueue(app, retake);
    registerEstimate(app, retake);
    registerHistory(app, retake);
    registerEvents(app, retake);
    registerFiles(app, retake);
    registerKeysMe(app, retake);
    registerWebhookSecret(app, retake);
    registerOpenApi(app, retake, routes);
  };
}
