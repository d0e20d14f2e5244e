/**
 * JSON Schemas the routes and the OpenAPI document share: the generation bodies (the
 * model's request schema plus the envelope fields), the queue row and the error
 * envelope. Built from `models/request-schema.ts`, so the docs cannot drift from what
 * the server validates.
 */
import { engineInterpretationSchema } from '../engines/index.ts';
import { ERRORS } from '../errors/index.ts';
import { requestSchema } from '../models/index.ts';

const STATUSES = ['queued', 'processing', 'succeeded', 'failed', 'cancelled'] as const;

/** The model request schema without its `$schema` (OpenAPI 3.1 components carry none). */
export function videoRequestSchema(): Record<string, unknown> {
  const { $schema: _ignored, ...schema } = requestSchema();
  return schema;
}

const envelopeProps = {
  model: { type: 'string', description: 'Model id (GET /api/ai/models).', examples: ['retake-local'] },
  num_generations: { type: 'integer', minimum: 1, maximum: 4, default: 1, description: 'How many generations to queue.' },
  webhook_url: { type: 'string', format: 'uri', description: 'Called (HMAC-signed) when each generation finishes.' },
  response_format: { type: 'string', enum: ['url', 'b64_json'], default: 'url', description: 'url, or the video inline as base64.' },
} as const;

/** A generation body: the model request plus the named envelope fields. */
export function generationBodySchema(fields: (keyof typeof envelopeProps)[]): Record<string, unknown> {
  const base = videoRequestSchema();
  const props: Record<string, unknown> = {};
  for (const f of fields) props[f] = envelopeProps[f];
  return {
    ...base,
    title: undefined,
    required: ['model', ...(base.required as string[])],
    properties: { ...props, ...(base.properties as Record<string, unknown>) },
  };
}

export const errorEnvelopeSchema = {
  type: 'object',
  required: ['error', 'status', 'status_message'],
  properties: {
    error: {
      type: 'object',
      required: ['type', 'title', 'detail'],
      properties: {
        type: { type: 'string', enum: Object.keys(ERRORS), description: 'Stable error code.' },
        title: { type: 'string' },
        detail: { type: 'string' },
        fields: {
          type: 'array',
          items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } },
        },
      },
    },
    status: { const: 'error' },
    status_message: { type: 'string' },
  },
} as const;

const nullableString = { type: ['string', 'null'] } as const;

export const queueRowSchema = {
  type: 'object',
  required: ['generation_id', 'model_name', 'prompt', 'media_type', 'status', 'result_url', 'error_message', 'enqueued_at', 'started_at', 'completed_at', 'cost', 'progress'],
  properties: {
    generation_id: { type: 'string' },
    model_name: { type: 'string' },
    prompt: { type: 'string' },
    media_type: { const: 'video' },
    status: { type: 'string', enum: [...STATUSES] },
    result_url: nullableString,
    error_message: nullableString,
    error_code: nullableString,
    enqueued_at: { type: 'string', format: 'date-time' },
    started_at: nullableString,
    completed_at: nullableString,
    cost: { type: 'number' },
    progress: { type: 'number', minimum: 0, maximum: 1 },
    stage: nullableString,
    eta_s: { type: ['number', 'null'] },
    outputs: {
      type: 'array',
      items: { type: 'object', properties: { kind: { type: 'string' }, url: { type: 'string' }, content_type: { type: 'string' }, bytes: { type: 'integer' } } },
    },
    interpretation: { ...engineInterpretationSchema, oneOf: [...engineInterpretationSchema.oneOf, { type: 'null' }] },
    warnings: { type: 'array', items: { type: 'string' } },
  },
  description: 'Also carries the request parameters (input_video, resolution, duration, ...).',
} as const;

export const statusEnum = [...STATUSES];

/** Path parameter `:id`. */
export const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 200 } } } as const;
