/**
 * Bearer-key authentication. Every route under /api/ needs `Authorization: Bearer
 * <key>` unless it declares `config.public` (the model catalogue); the rest (health,
 * OpenAPI, file serving, the Workbench) is public — file keys are unguessable ids.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RetakeError } from '../errors/index.ts';
import type { KeyService } from '../keys/types.ts';

function needsKey(request: FastifyRequest): boolean {
  if (request.is404) return false;
  if (request.routeOptions.config.public === true) return false;
  return request.url.startsWith('/api/');
}

/** The secret of an `Authorization: Bearer <key>` header, if well-formed. */
export function bearerSecret(header: string | undefined): string | undefined {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  return match?.[1];
}

/** Install the auth hook: sets `request.apiKey` or answers 401 `unauthorized`. */
export function installAuth(app: FastifyInstance, keys: KeyService): void {
  app.decorateRequest('apiKey', undefined);
  app.decorateRequest('sideEffect', false);
  app.addHook('onRequest', async (request) => {
    if (!needsKey(request)) return;
    const secret = bearerSecret(request.headers.authorization);
    if (!secret) throw new RetakeError('unauthorized', 'Send your API key as "Authorization: Bearer <key>"');
    const key = await keys.authenticate(secret);
    if (!key) throw new RetakeError('unauthorized', 'API key is invalid or revoked');
    request.apiKey = key;
  });
}
