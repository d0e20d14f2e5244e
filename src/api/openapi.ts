/**
 * The OpenAPI 3.1 document, generated from the routes themselves: every route records
 * its method, path, query/params schemas and `config.doc` as it is registered, and the
 * request schema and error envelope come from `schemas.ts`. A route added later shows
 * up here without anyone remembering to document it.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { Retake } from '../retake.ts';
import { routeNeedsKey } from '../http/auth.ts';
import type { RouteDoc } from '../http/route-config.ts';
import { errorEnvelopeSchema, videoRequestSchema } from './schemas.ts';

interface RecordedRoute {
  method: string;
  url: string;
  doc: RouteDoc | undefined;
  querystring: Record<string, unknown> | undefined;
  params: Record<string, unknown> | undefined;
  public: boolean;
}

type Schema = { properties?: Record<string, unknown>; required?: readonly string[] } | undefined;

/** Start recording routes; call before any route is registered. */
export function recordRoutes(app: FastifyInstance): RecordedRoute[] {
  const routes: RecordedRoute[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const schema = (route.schema ?? {}) as { querystring?: Record<string, unknown>; params?: Record<string, unknown> };
    const config = (route.config ?? {}) as { doc?: RouteDoc };
    for (const method of methods) {
      // Fastify adds HEAD twins of GET routes; HEAD is documented only where declared.
      if (method === 'HEAD' && methods.length === 1) continue;
      routes.push({
        method: method.toLowerCase(), url: route.url, doc: config.doc,
        querystring: schema.querystring, params: schema.params,
        public: !routeNeedsKey(route),
      });
    }
  });
  return routes;
}

/** `/api/ai/queue/:id` → `/api/ai/queue/{id}`; `/files/*` → `/files/{key}`. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z_]+)/g, '{$1}').replace(/\*$/, '{key}');
}

function parameters(route: RecordedRoute): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const [, name] of route.url.matchAll(/:([A-Za-z_]+)/g)) {
    out.push({ name, in: 'path', required: true, schema: (route.params as Schema)?.properties?.[name!] ?? { type: 'string' } });
  }
  if (route.url.endsWith('*')) out.push({ name: 'key', in: 'path', required: true, schema: { type: 'string' } });
  const q = route.querystring as Schema;
  for (const [name, schema] of Object.entries(q?.properties ?? {})) {
    out.push({ name, in: 'query', required: q?.required?.includes(name) ?? false, schema });
  }
  return out;
}

function operation(route: RecordedRoute): Record<string, unknown> {
  const doc = route.doc ?? { summary: `${route.method.toUpperCase()} ${route.url}`, tags: [] };
  const responses: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(doc.responses ?? { 200: { description: 'OK' } })) {
    responses[status] = {
      description: r.description,
      ...(r.schema || r.contentType ? { content: { [r.contentType ?? 'application/json']: { schema: r.schema ?? {} } } } : {}),
    };
  }
  responses.default = { $ref: '#/components/responses/Error' };
  return {
    summary: doc.summary,
    tags: doc.tags,
    operationId: `${route.method}_${route.url.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '')}`,
    parameters: parameters(route),
    ...(doc.body ? { requestBody: { required: true, content: { [doc.bodyType ?? 'application/json']: { schema: doc.body } } } } : {}),
    ...(route.public ? { security: [] } : {}),
    responses,
  };
}

/** Build the OpenAPI 3.1 document from the recorded routes. */
export function buildOpenApi(routes: readonly RecordedRoute[], retake: Pick<Retake, 'config'>): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    // Undocumented pages outside /api/ (the Workbench) are not part of the API.
    if (!route.url.startsWith('/api/') && route.doc === undefined) continue;
    const path = openApiPath(route.url);
    paths[path] = { ...paths[path], [route.method]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'retake API',
      version: '0.1.0',
      description: 'Self-hosted video-to-video generation with a hub-compatible API. Errors share one envelope; every error type is a stable code.',
    },
    servers: [{ url: retake.config.publicUrl }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <API key>' } },
      schemas: { VideoToVideoRequest: videoRequestSchema(), Error: errorEnvelopeSchema },
      responses: {
        Error: { description: 'An error (see error.type)', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    },
  };
}

/** Register `GET /openapi.json` serving the document (built once, on first request). */
export function registerOpenApi(app: FastifyInstance, retake: Retake, routes: readonly RecordedRoute[]): void {
  let cached: Record<string, unknown> | undefined;
  app.get('/openapi.json', {
    config: { doc: { summary: 'This OpenAPI document', tags: ['service'] } },
  }, async () => (cached ??= buildOpenApi(routes, retake)));
}
