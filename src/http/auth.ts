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
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, RouteOptions } from 'fastify';
import { RetakeError } from '../errors/index.ts';
import type { KeyService } from '../keys/types.ts';
import type { ApiKeyRow } from '../store/types.ts';

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

export interface KeyCheck {
  /** The key's secret from the request's Authorization header, if well-formed. */
  secretOf(request: FastifyRequest): string | undefined;
  /** What the 401 says about sending a key. */
  hint: string;
}

/**
 * The `onRequest` hook that sets `request.apiKey` or fails with 401 `unauthorized` (or
 * 429 for an address sending wrong keys). It is a callback hook, not an async one: a
 * key authenticated moments ago is answered from the key service's memory at once,
 * with no promise, which is most requests (every status poll authenticates).
 */
export type KeyHook = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void;

export function keyHook(keys: KeyService, check: KeyCheck): KeyHook {
  const refuse = (): RetakeError => new RetakeError('unauthorized', 'API key is invalid or revoked');
  return (request, _reply, done) => {
    const secret = check.secretOf(request);
    if (!secret) {
      done(new RetakeError('unauthorized', check.hint));
      return;
    }
    let known: ApiKeyRow | undefined;
    try {
      known = keys.remembered(secret, request.ip);
    } catch (err) {
      done(err as Error);
      return;
    }
    if (known) {
      request.apiKey = known;
      done();
      return;
    }
    keys.authenticate(secret, request.ip).then((key) => {
      if (!key) {
        done(refuse());
        return;
      }
      request.apiKey = key;
      done();
    }, (err: unknown) => done(err as Error));
  };
}

/**
 * Install authentication: every route registered after this call that needs a key gets
 * an `onRequest` hook that sets `request.apiKey` or answers 401 `unauthorized`. Call it
 * before any route is registered.
 */
export function installAuth(app: FastifyInstance, keys: KeyService): void {
  app.decorateRequest('apiKey', undefined);
  app.decorateRequest('sideEffect', false);
  const authenticate = keyHook(keys, {
    secretOf: (request) => authSecret(request.headers.authorization),
    hint: 'Send your API key as "Authorization: Bearer <key>"',
  });
  app.addHook('onRoute', (route) => {
    if (!routeNeedsKey(route)) return;
    const own = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    // First among the route's own hooks (after the global ones, e.g. the origin check).
    route.onRequest = [authenticate, ...own] as RouteOptions['onRequest'];
  });
}
