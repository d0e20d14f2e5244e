/**
 * The model catalogue (public): `GET /api/ai/models`, `GET /api/ai/models/search?search=`
 * and `GET /api/ai/models/:id`, as the hub's model objects with their JSON Schema.
 */
import type { FastifyInstance } from 'fastify';
import { MODELS, findModel, modelObject, searchModels } from '../../models/index.ts';
import type { Retake } from '../../retake.ts';

const modelSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    object: { const: 'model' },
    created: { type: 'integer' },
    owned_by: { type: 'string' },
    display_name: { type: 'string' },
    description: { type: 'string' },
    summary: { type: 'string' },
    model_type: { type: 'string' },
    endpoint: { type: 'string' },
    capabilities: { type: 'object' },
    pricing: { type: 'object' },
    request_schema: { $ref: '#/components/schemas/VideoToVideoRequest' },
    json_request_schema: { $ref: '#/components/schemas/VideoToVideoRequest' },
  },
} as const;

const listSchema = { type: 'object', properties: { object: { const: 'list' }, data: { type: 'array', items: modelSchema } } } as const;

export function registerModels(app: FastifyInstance, retake: Retake): void {
  const base = retake.config.publicUrl;
  const listDoc = (summary: string) => ({
    summary, tags: ['models'], responses: { 200: { description: 'Models', schema: listSchema } },
  });

  app.get('/api/ai/models', { config: { public: true, doc: listDoc('List the models') } }, async () => ({
    object: 'list',
    data: MODELS.map((m) => modelObject(m, base)),
  }));

  app.get<{ Querystring: { search?: string } }>('/api/ai/models/search', {
    schema: { querystring: { type: 'object', properties: { search: { type: 'string', maxLength: 200 } } } },
    config: { public: true, doc: listDoc('Search models by id, name or description') },
  }, async (request) => ({
    object: 'list',
    data: searchModels(request.query.search ?? '').map((m) => modelObject(m, base)),
  }));

  app.get<{ Params: { id: string } }>('/api/ai/models/:id', {
    config: {
      public: true,
      doc: { summary: 'One model with its request schema', tags: ['models'], responses: { 200: { description: 'The model', schema: modelSchema } } },
    },
  }, async (request) => modelObject(findModel(request.params.id), base));
}
