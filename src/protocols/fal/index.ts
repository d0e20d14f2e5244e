/**
 * fal's protocols under `/fal`: the queue (`/fal/queue`, fal's `queue.fal.run`), sync
 * runs (`/fal/run`, `fal.run`) and storage uploads (`/fal/rest`, fal's REST host), so
 * `@fal-ai/client` works against retake with one `requestMiddleware` that rewrites
 * fal's hosts to these mounts. One encapsulated scope: `Authorization: Key <retake
 * key>` on every route but the signed upload URLs, and errors in fal's shape.
 */
import type { FastifyInstance } from 'fastify';
import type { Retake } from '../../retake.ts';
import { authSecret, installProtocolScope } from '../scope.ts';
import { sendFalError } from './errors.ts';
import { registerProxyRoute } from './proxy.ts';
import { registerQueueRoutes } from './queue-routes.ts';
import { isSignedUploadRoute, registerStorageRoutes } from './storage-routes.ts';

export { falWebhookFormatter } from './webhook.ts';

/** fal's routes as a Fastify plugin; `app.ts` registers it under the prefix `/fal`. */
export function falProtocol(retake: Retake): (scope: FastifyInstance) => Promise<void> {
  return async (scope) => {
    installProtocolScope(scope, {
      keys: retake.keys,
      secretOf: (request) => authSecret(request.headers.authorization, ['Key']),
      authHint: 'Send your retake API key as "Authorization: Key <key>"',
      sendError: sendFalError,
      isPublic: (request) => isSignedUploadRoute(request) || request.routeOptions.url === '/fal/proxy',
    });
    registerQueueRoutes(scope, retake, { store: retake.store, publicUrl: retake.config.publicUrl, blobUrl: (k) => retake.blobUrl(k) });
    await registerStorageRoutes(scope, retake);
    registerProxyRoute(scope);
  };
}
