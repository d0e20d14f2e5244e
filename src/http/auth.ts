/**
 * Bearer-key authentication, decided per route when the route is registered: every
 * route declared under /api/ needs `Authorization: Bearer <key>` unless it declares
 * `config.public` (the model catalogue); a route elsewhere can ask for it with
 * `config.auth: true`. The rest (health, OpenAPI, file serving, the Workbench) is
 * public — file keys are unguessable ids.
 *
 * Why per route and not a test on the request URL: the router decodes the path before
 * matching (`/%61pi/ai/queue` reaches `/api/ai/queue`), so any prefix test on the raw
 * URL can be sidestepped. The hook is attached to the route itself, so whatever path
 * reaches the handler went through it.
 */
import type { FastifyInstance, onRequestAsyncHookHandler, RouteOptions } from 'fastify';
import { RetakeError } from '../errors/index.ts';
import type { KeyService } from '../keys/types.ts';

/** Whether a route, as declared, needs an API key. */
export function routeNeedsKey(route: Pick<RouteOptions, 'url' | 'config'>): boolean {
  const config = (route.config ?? {}) as { public?: boolean; auth?: boolean };
  if (config.auth !== undefined) return config.auth;
  if (config.public === true) return false;
  return route.url.startsWith('/api/') || route.url === '/api';
}

/**
 * The secret of an `Authorization: <scheme> <secret>` header for any of `schemes`
 * (case-insensitive), if well-formed. The hub takes `Bearer`; each protocol its own.
 */
export function authSecret(header: string | undefined, schemes: readonly string[] = ['Bearer']): string | undefined {
  const match = /^(\S+)[ \t]+(\S+)[ \t]*$/.exec(header ?? '');
  if (!match || !schemes.some((s) => s.toLowerCase() === match[1]!.toLowerCase())) return undefined;
  return match[2];
}

/**
 * Install authentication: every route registered after this call that needs a key gets
 * an `onRequest` hook that sets `request.apiKey` or answers 401 `unauthorized`. Call it
 * before any route is registered.
 */
export function installAuth(app: FastifyInstance, keys: KeyService): void {
  app.decorateRequest('apiKey', undefined);
  app.decorateRequest('sideEffect', false);
  const authenticate: onRequestAsyncHookHandler = async (request) => {
    const secret = authSecret(request.headers.authorization);
    if (!secret) throw new RetakeError('unauthorized', 'Send your API key as "Authorization: Bearer <key>"');
    const key = await keys.authenticate(secret, request.ip);
    if (!key) throw new RetakeError('unauthorized', 'API key is invalid or revoked');
    request.apiKey = key;
  };
  app.addHook('onRoute', (route) => {
    if (!routeNeedsKey(route)) return;
    const own = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    // First among the route's own hooks (after the global ones, e.g. the origin check).
    route.onRequest = [authenticate, ...own] as RouteOptions['onRequest'];
  });
}
