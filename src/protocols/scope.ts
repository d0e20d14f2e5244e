/**
 * What every foreign-protocol scope shares: its own authentication hook (auth is a
 * property of the routes in the scope, not of a URL prefix), a JSON parser that takes
 * the empty bodies these clients send on POST and PUT (cancel calls), and its own
 * error and not-found handlers so errors leave in the protocol's shape.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { keyHook } from '../http/auth.ts';
import { errorHandler } from '../http/error-envelope.ts';
import { installJsonBody } from '../http/json-body.ts';
import { RetakeError } from '../errors/index.ts';
import type { KeyService } from '../keys/types.ts';

export interface ScopeOptions {
  keys: KeyService;
  /** The key's secret from the request's Authorization header, if well-formed. */
  secretOf(request: FastifyRequest): string | undefined;
  /** What the 401 says about sending a key. */
  authHint: string;
  /** Send an error in the protocol's shape. */
  sendError(reply: FastifyReply, err: RetakeError): FastifyReply;
  /** Routes of the scope that need no key (signed upload URLs). */
  isPublic?(request: FastifyRequest): boolean;
}

/** Install auth, body parsing and error handling on an encapsulated scope. */
export function installProtocolScope(scope: FastifyInstance, options: ScopeOptions): void {
  installJsonBody(scope, () => true);

  const authenticate = keyHook(options.keys, { secretOf: (request) => options.secretOf(request), hint: options.authHint });
  scope.addHook('onRequest', (request, reply, done) => {
    if (request.is404 || options.isPublic?.(request)) done();
    else authenticate(request, reply, done);
  });

  scope.setErrorHandler(errorHandler((reply, err) => options.sendError(reply, err)));
  scope.setNotFoundHandler((request, reply) =>
    options.sendError(reply, new RetakeError('route_not_found', `No route for ${request.method} ${(request.url.split('?')[0] ?? '').slice(0, 200)}`)),
  );
}
