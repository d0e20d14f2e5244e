/**
 * fal endpoint ids ↔ retake's models, and fal's input field names ↔ retake's. The
 * hosted model keeps fal's own id (`luma/agent/ray/v3.2/video-to-video`), so code
 * written for it on fal runs unchanged; every retake model is also `retake/<model id>`.
 * On all of them the inputs carry fal's names (`video_url`, `start_image_url`).
 */
import { RetakeError, type FieldProblem } from '../../errors/index.ts';
import { MODELS, findModel, type ModelInfo } from '../../models/index.ts';

/** fal endpoint ids of models fal itself serves, by retake model id. */
const FAL_IDS: Record<string, string> = {
  'luma-ray-v3-2-video-to-video': 'luma/agent/ray/v3.2/video-to-video',
};

/** fal's field name → retake's (the hub renamed these two). */
const RENAMES: Record<string, string> = { video_url: 'input_video', start_image_url: 'input_image' };
const BACK: Record<string, string> = Object.fromEntries(Object.entries(RENAMES).map(([a, b]) => [b, a]));

/** The endpoint id fal clients use for a model. */
export function endpointOf(modelId: string): string {
  return FAL_IDS[modelId] ?? `retake/${modelId}`;
}

/** `owner/alias` of an endpoint id: what fal's status, result and cancel URLs carry. */
export function appOf(endpointId: string): string {
  return endpointId.split('/').slice(0, 2).join('/');
}

/** The model an endpoint id names, or 404 `model_not_found`. */
export function modelOfEndpoint(endpointId: string): ModelInfo {
  const id = endpointId.replace(/^\/+|\/+$/g, '');
  const hosted = MODELS.find((m) => FAL_IDS[m.id] === id);
  if (hosted) return hosted;
  const match = /^retake\/([^/]+)$/.exec(id);
  if (match) return findModel(match[1]!);
  throw new RetakeError('model_not_found', `Model not found: ${id}`);
}

/** fal's input as retake's request: the two renamed fields, everything else unchanged. */
export function toRetakeInput(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) out[RENAMES[name] ?? name] = value;
  return out;
}

/** A retake field name as fal's clients know it. */
export function falFieldName(field: string): string {
  return BACK[field] ?? field;
}

/** Field problems (and their messages) in fal's names. */
export function falProblems(fields: readonly FieldProblem[]): FieldProblem[] {
  return fields.map((f) => ({
    field: falFieldName(f.field),
    message: f.message.replace(/\b(input_video|input_image)\b/g, (name) => falFieldName(name)),
  }));
}
