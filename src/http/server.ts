/**
 * The HTTP server every API shares: one Fastify instance with the error envelope, the
 * request log, the body stall timer, the cross-origin, auth and idempotency hooks, the
 * per-key rate limits, multipart parsing and the upload service (with the sweeper of
 * upload parts nobody completed). The hub API and each protocol register on
 * it as plugins (`app.ts` assembles them); nothing here knows any of them.
 */
import multipart from '@fastify/multipart';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Retake } from '../retake.ts';
import { installAuth } from './auth.ts';
import { installBodyStall } from './body-stall.ts';
import { installCloseUnreadBody } from './close-unread-body.ts';
import { installCrossOrigin } from './cross-origin.ts';
import { answerClientError } from './client-error.ts';
import { answerFrameworkError, installErrorEnvelope } from './error-envelope.ts';
import { installIdempotency } from './idempotency.ts';
import { installJsonBody } from './json-body.ts';
import { JSON_BODY_LIMIT } from './json-body-limit.ts';
import { installRateLimits } from './rate-limits.ts';
import { installRequestLog } from './request-log.ts';
import { UPLOAD_URL_TTL_MS } from './uploads/upload-parts.ts';
import { createUploadService, installUploads } from './uploads/upload-service.ts';

/**
 * A Fastify instance with the shared hooks installed and no routes yet (not listening).
 * @param retake the service: config, store, keys and logger.
 */
export async function createHttpServer(retake: Retake): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: retake.logger,
    // One line per request, from the onResponse hook (request-log.ts), not two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: JSON_BODY_LIMIT,
    return503OnClosing: true,
    // Sync generation holds a request for minutes; the socket must not be cut first.
    requestTimeout: 0,
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
  }) as unknown as FastifyInstance;

  // Only JSON (and multipart on the upload routes): text bodies are a 415, not a string
  // the handlers would have to reject.
  app.removeContentTypeParser('text/plain');
  // Clients that send `Content-Type: application/json` on every call (SDK sessions) send
  // it on DELETE with no body too; that is not a malformed request.
  installJsonBody(app, (request) => request.method !== 'POST');
  installRequestLog(app);
  installErrorEnvelope(app);
  installBodyStall(app, retake.config.bodyStallMs);
  installCloseUnreadBody(app);
  installCrossOrigin(app, retake.config.publicUrl, retake.config.host);
  installAuth(app, retake.keys);
  installIdempotency(app, retake.store, retake.config.leaseMs);
  await installRateLimits(app, {
    submitPerMinute: retake.config.rateLimitSubmit, readPerMinute: retake.config.rateLimitRead, redisUrl: retake.config.redisUrl,
  });
  await app.register(multipart, {
    limits: { fileSize: retake.config.maxUploadBytes, files: 1, fields: 10, parts: 12, fieldSize: 64 * 1024 },
  });
  installUploadService(app, retake);
  return app;
}

/** The upload service every door uses, and the sweep of parts of uploads never completed. */
function installUploadService(app: FastifyInstance, retake: Retake): void {
  const uploads = createUploadService({ blobs: retake.blobs, maxBytes: retake.config.maxUploadBytes, maxPerKey: retake.config.maxUploadsPerKey });
  installUploads(app, uploads);
  const sweep = (): void => {
    uploads.parts.sweep().catch((err: unknown) => retake.logger.warn({ err }, 'could not sweep upload parts'));
  };
  let sweeper: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    sweep();
    sweeper = setInterval(sweep, UPLOAD_URL_TTL_MS / 4);
    sweeper.unref();
  });
  app.addHook('onClose', async () => clearInterval(sweeper));
}
