/**
 * What each route declares about itself, beside its Fastify schema: whether it needs
 * an API key, and its OpenAPI documentation. The OpenAPI document is generated from
 * these declarations, so a route cannot exist without appearing in it.
 */
import type { ApiKeyRow } from '../store/types.ts';

export interface RouteDoc {
  summary: string;
  tags: string[];
  /** JSON Schema of the request body (documentation only; the handler validates). */
  body?: Record<string, unknown>;
  /** Content type of the body, default application/json. */
  bodyType?: string;
  /** JSON Schema of the success answer, by status code. */
  responses?: Record<number, { description: string; schema?: Record<string, unknown>; contentType?: string }>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** No API key needed (default false under /api/, true elsewhere). */
    public?: boolean;
    /** Needs an API key regardless of the path (default: under /api/ and not public). */
    auth?: boolean;
    doc?: RouteDoc;
  }
  interface FastifyRequest {
    /** The authenticated key; set by the auth hook on every non-public /api route. */
    apiKey?: ApiKeyRow;
    /** Set once a handler has queued or charged something (idempotency keeps the answer). */
    sideEffect?: boolean;
  }
}

/** The authenticated key of a request that passed the auth hook. */
export function keyOf(request: { apiKey?: ApiKeyRow | undefined }): ApiKeyRow {
  if (!request.apiKey) throw new Error('route used without the auth hook');
  return request.apiKey;
}
