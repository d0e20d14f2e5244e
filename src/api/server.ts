/**
 * Assembles the HTTP API: one Fastify instance with the error envelope, the
 * cross-origin, auth and idempotency hooks, multipart uploads and every route. The
 * instance is returned ready to listen (the caller listens) and open for more routes
 * (the Workbench registers its pages on it).
 */
import multipart from '@fastify/multipart';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Retake } from '../retake.ts';
import { installAuth } from './auth.ts';
import { installBodyStall } from './body-stall.ts';
import { installCrossOrigin } from './cross-origin.ts';
import { installErrorEnvelope } from './error-envelope.ts';
import { JSON_BODY_LIMIT } from './json-body-limit.ts';
import { installRequestLog } from './request-log.ts';
import { installIdempotency } from './idempotency.ts';
import { installRateLimits } from './rate-limits.ts';
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
import { registerWorkbench } from '../workbench/serve.ts';
import { registerFal } from '../protocols/fal/index.ts';
import { registerReplicate } from '../protocols/replicate/index.ts';


/**
 * Build the API server over an assembled retake (not listening yet).
 * @param retake the service: config, store, blobs, events, keys and generations.
 */
export async function buildServer(retake: Retake): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: retake.logger,
    // One line per request, from the onResponse hook (request-log.ts), not two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: JSON_BODY_LIMIT,
    return503OnClosing: true,
    // Sync generation holds a request for minutes; the socket must not be cut first.
    requestTimeout: 0,
  }) as unknown as FastifyInstance;

  // Only JSON (and multipart on the upload route): text bodies are a 415, not a string
  // the handlers would have to reject.
  app.removeContentTypeParser('text/plain');
  // Clients that send `Content-Type: application/json` on every call (SDK sessions) send
  // it on DELETE with no body too; that is not a malformed request.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '' && request.method !== 'POST') {
      done(null, undefined);
      return;
    }
    void parseJson(request, body.toString(), done);
  });
  installRequestLog(app);
  installErrorEnvelope(app);
  installBodyStall(app, retake.config.bodyStallMs);
  const routes = recordRoutes(app);
  installCrossOrigin(app, retake.config.publicUrl, retake.config.host);
  installAuth(app, retake.keys);
  installIdempotency(app, retake.store, retake.config.leaseMs);
  await installRateLimits(app, {
    submitPerMinute: retake.config.rateLimitSubmit, readPerMinute: retake.config.rateLimitRead, redisUrl: retake.config.redisUrl,
  });
  await app.register(multipart, {
    limits: { fileSize: retake.config.maxUploadBytes, files: 1, fields: 10, parts: 12, fieldSize: 64 * 1024 },
  });

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
  await registerReplicate(app, retake);
  await registerFal(app, retake);
  registerWorkbench(app);
  registerOpenApi(app, retake, routes);
  return app;
}
