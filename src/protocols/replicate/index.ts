/**
 * Replicate's HTTP API under `/v1`, so the official `replicate` client works against
 * retake with only `baseUrl` changed. One encapsulated scope: `Authorization: Bearer
 * <retake key>` (or Replicate's older `Token <key>`) on every route but the signed
 * stream, and errors in Replicate's shape.
 */
import type { FastifyInstance } from 'fastify';
import type { Retake } from '../../retake.ts';
import { authSecret, installProtocolScope } from '../scope.ts';
import { sendReplicateError } from './errors.ts';
import { registerFileRoutes } from './files.ts';
import type { PredictionContext } from './prediction.ts';
import { registerPredictionRoutes } from './routes.ts';
import { registerStreamRoute } from './stream.ts';

export { replicateWebhookFormatter } from './webhook.ts';
export { versionOf } from './model-ref.ts';

/** What the prediction objects and webhooks need of retake. */
export function predictionContext(retake: Pick<Retake, 'store' | 'config' | 'blobUrl' | 'serverSecret'>): PredictionContext {
  return { store: retake.store, publicUrl: retake.config.publicUrl, blobUrl: (k) => retake.blobUrl(k), streamSecret: retake.serverSecret };
}

/** Replicate's routes as a Fastify plugin; `app.ts` registers it under the prefix `/v1`. */
export function replicateProtocol(retake: Retake): (scope: FastifyInstance) => Promise<void> {
  return async (scope) => {
    installProtocolScope(scope, {
      keys: retake.keys,
      secretOf: (request) => authSecret(request.headers.authorization, ['Bearer', 'Token']),
      authHint: 'Send your retake API key as "Authorization: Bearer <key>"',
      sendError: sendReplicateError,
      isPublic: (request) => request.routeOptions.url === '/v1/predictions/:id/stream',
    });
    const ctx = predictionContext(retake);
    registerPredictionRoutes(scope, retake, ctx);
    registerFileRoutes(scope, retake);
    registerStreamRoute(scope, retake, retake.serverSecret);
  };
}
