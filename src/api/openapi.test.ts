import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './testing.ts';

let h: Harness;
let doc: { openapi: string; paths: Record<string, Record<string, Record<string, unknown>>>; components: { schemas: Record<string, unknown> } };
beforeAll(async () => {
  h = await startHarness();
  doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json();
});
afterAll(async () => h.close());

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 and lists every route of the API', () => {
    expect(doc.openapi).toBe('3.1.0');
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    expect(ops.sort()).toEqual([
      'DELETE /api/ai/queue/{id}',
      'GET /api/ai/generations',
      'GET /api/ai/generations/{id}',
      'GET /api/ai/models',
      'GET /api/ai/models/search',
      'GET /api/ai/models/{id}',
      'GET /api/ai/queue',
      'GET /api/ai/queue/{id}',
      'GET /api/events',
      'GET /api/keys/me',
      'GET /api/webhooks/secret',
      'GET /files/{key}',
      'GET /healthz',
      'GET /metrics',
      'GET /openapi.json',
      'GET /readyz',
      'HEAD /files/{key}',
      'POST /api/ai/estimate',
      'POST /api/ai/queue',
      'POST /api/ai/videos/generate',
      'POST /api/files',
    ]);
  });

  it('documents bodies from the model request schema and the envelope fields', () => {
    const body = (doc.paths['/api/ai/queue']!.post!.requestBody as { content: Record<string, { schema: Record<string, unknown> }> })
      .content['application/json']!.schema;
    expect(body.required).toEqual(['model', 'prompt', 'input_video']);
    expect(Object.keys(body.properties as object)).toEqual(expect.arrayContaining(['num_generations', 'webhook_url', 'edit_strength', 'hdr']));
    expect(body.allOf).toHaveLength(4);
    expect(doc.components.schemas.VideoToVideoRequest).toMatchObject({ type: 'object', required: ['prompt', 'input_video'] });
  });

  it('marks public routes and documents query parameters and the error envelope', () => {
    expect(doc.paths['/api/ai/models']!.get!.security).toEqual([]);
    expect(doc.paths['/api/ai/queue']!.get!.security).toBeUndefined();
    const names = (doc.paths['/api/ai/generations']!.get!.parameters as { name: string }[]).map((p) => p.name);
    expect(names).toEqual(['page', 'page_size']);
    const error = doc.components.schemas.Error as { properties: { error: { properties: { type: { enum: string[] } } } } };
    expect(error.properties.error.properties.type.enum).toEqual(expect.arrayContaining(['validation_error', 'idempotency_conflict']));
  });
});
