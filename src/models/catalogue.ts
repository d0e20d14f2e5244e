/**
 * The model catalogue: every model retake serves, as the hub's model objects.
 * `retake-local` runs on the built-in FFmpeg engine; `luma-ray-v3-2-video-to-video`
 * runs on the hosted Luma Ray 3.2 model when an operator configures a key. Models an
 * operator declares in a models file (ComfyUI workflows) join the list at start.
 */
import { RetakeError } from '../errors/index.ts';
import { pricingDescription, type Pricing } from './pricing.ts';
import { requestSchema, type OptionalField } from './request-schema.ts';

export interface ModelInfo {
  id: string;
  display_name: string;
  description: string;
  summary: string;
  owned_by: string;
  /**
   * Which engine runs it: `local`, `hosted` (fal / Luma, chosen by configuration), or
   * `comfyui` (an operator's workflow; its engine is built per model).
   */
  engine: 'local' | 'hosted' | 'comfyui';
  pricing: Pricing;
  created: number;
  /** Request fields this model does not offer: left out of its schema and refused. Default none. */
  omit?: readonly OptionalField[] | undefined;
}

const BUILT_IN: readonly ModelInfo[] = [
  {
    id: 'retake-local',
    display_name: 'retake local (FFmpeg)',
    summary: 'Re-renders a video in a new look on any CPU, offline and free.',
    description:
      'The built-in engine: compiles the prompt into a look (style family, palette, modifiers) and renders it with FFmpeg. Same request schema as the hosted model.',
    owned_by: 'retake',
    engine: 'local',
    pricing: 'free',
    created: 1764000000,
  },
  {
    id: 'luma-ray-v3-2-video-to-video',
    display_name: 'Luma Ray 3.2 video-to-video',
    summary: 'Edit a video with a text prompt using Luma Ray 3.2 (hosted).',
    description:
      "Luma's Ray 3.2 model, run through fal's queue (FAL_KEY) or Luma's Agents API (LUMA_API_KEY). Supports HDR10 output and an OpenEXR sidecar.",
    owned_by: 'luma',
    engine: 'hosted',
    pricing: 'luma-ray-v3-2',
    created: 1764000000,
  },
];

/** What an operator's workflow model can be given: each binding it has offers a request field. */
export interface WorkflowOffers {
  image: boolean;
  keyframes: boolean;
  strength: boolean;
}

/**
 * The request fields a workflow model leaves out of its schema (and refuses): no HDR or
 * EXR from a workflow, no schedule derived from the source and no hosted-model controls;
 * `keyframes` and `edit_strength` only when a binding takes them, `input_image` when an
 * image or keyframes binding does (it is the keyframe at frame 0).
 */
export function workflowOmits(offers: WorkflowOffers): OptionalField[] {
  const omit: OptionalField[] = ['controls', 'auto_controls', 'hdr', 'exr_export'];
  if (!offers.keyframes) omit.unshift('keyframes');
  if (!offers.image && !offers.keyframes) omit.push('input_image');
  if (!offers.strength) omit.push('edit_strength');
  return omit;
}

/** Every model served: the built-in ones, then those an operator declared. */
export const MODELS: readonly ModelInfo[] = [...BUILT_IN];

/**
 * Add operator-declared models to the catalogue (at start, from the models file). A
 * model with the id of one already listed replaces it; a built-in id is refused.
 */
export function registerModels(models: readonly ModelInfo[]): void {
  const list = MODELS as ModelInfo[];
  for (const model of models) {
    if (BUILT_IN.some((m) => m.id === model.id)) throw new Error(`model id "${model.id}" is built in; choose another id`);
    const at = list.findIndex((m) => m.id === model.id);
    if (at >= 0) list[at] = model;
    else list.push(model);
  }
}

/** The model with this id, or a 404 `Model not found: <id>`. */
export function findModel(id: string): ModelInfo {
  const model = MODELS.find((m) => m.id === id);
  if (!model) throw new RetakeError('model_not_found', `Model not found: ${id}`);
  return model;
}

/** The hub's model object for one model. */
export function modelObject(model: ModelInfo, baseUrl: string): Record<string, unknown> {
  // controls steer the hosted model only; other models' schemas leave them out (a body
  // that sends them to retake-local is refused by the engine with a named 422).
  const omit: OptionalField[] = [...(model.omit ?? []), ...(model.engine === 'hosted' ? [] : ['controls' as const])];
  const schema = requestSchema(omit);
  // A hub client validates its whole body, envelope included, against this schema.
  (schema.properties as Record<string, unknown>).model = {
    type: 'string', const: model.id, title: 'Model', description: 'The model id; the same in every call to this model.',
  };
  return {
    id: model.id,
    object: 'model',
    created: model.created,
    owned_by: model.owned_by,
    display_name: model.display_name,
    description: model.description,
    summary: model.summary,
    model_type: 'video-to-video',
    endpoint: `${baseUrl}/api/ai/videos/generate`,
    capabilities: { input: model.omit?.includes('input_image') ? ['text', 'video'] : ['text', 'video', 'image'], output: ['video'] },
    pricing: pricingDescription(model.pricing),
    request_schema: schema,
    json_request_schema: schema,
  };
}

/** Models whose id, name or description contains `query` (case-insensitive). */
export function searchModels(query: string): ModelInfo[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...MODELS];
  return MODELS.filter((m) =>
    [m.id, m.display_name, m.summary, m.description, m.owned_by].some((s) => s.toLowerCase().includes(q)),
  );
}
