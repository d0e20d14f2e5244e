/**
 * What an operator declares in the models file (`RETAKE_MODELS_FILE`): a ComfyUI
 * workflow in API format served as a retake model, with the bindings from a request's
 * fields to node inputs. The JSON Schema here checks the file's shape at start; the
 * loader (`models-file.ts`) then checks the bindings against the workflow itself.
 */
import type { EditStrength } from './request.ts';
import { EDIT_STRENGTHS } from './request.ts';
import type { Pricing } from './pricing.ts';

/** One node input of the workflow: `{node: "6", input: "text"}`. */
export interface NodeInput {
  node: string;
  input: string;
}

/** A ComfyUI graph in API format: node id → class and inputs (a link is `[node id, output index]`). */
export type ApiWorkflow = Record<string, { class_type: string; inputs: Record<string, unknown>; _meta?: unknown }>;

export interface ComfyBindings {
  /** Receives the prompt text. */
  prompt: NodeInput;
  /** Receives the uploaded source video's file name (a `LoadVideo` node's `file`). */
  video: NodeInput;
  /** Receives the uploaded first-frame image's name; without it (and without `keyframes`) the model offers no `input_image`. */
  image?: NodeInput | undefined;
  /**
   * Offers `keyframes`. The input (a video loader's file) receives the source video with
   * each keyframe laid in at its frame; `mask`, another video loader's file, receives a
   * video as long as the output, black at the keyframes' frames and white elsewhere
   * (VACE keeps what its mask leaves black). Without it the model offers no `keyframes`.
   */
  keyframes?: (NodeInput & { mask?: NodeInput | undefined }) | undefined;
  /** Receive the output size from `resolution` (short side) and the source's aspect ratio. */
  width?: NodeInput | undefined;
  height?: NodeInput | undefined;
  /** Width and height are rounded to a multiple of this; default 16. */
  size_multiple?: number | undefined;
  /** Receives the frame count: `duration` × the source's frame rate, as `multiple_of`·k + `plus` (Wan: 4k+1). */
  frames?: (NodeInput & { multiple_of?: number | undefined; plus?: number | undefined }) | undefined;
  /** Receives the source's frame rate (the output keeps it). */
  fps?: NodeInput | undefined;
  /** Receives a number from `edit_strength` through `table` (all nine levels); without it the model offers no `edit_strength`. */
  strength?: (NodeInput & { table: Record<EditStrength, number> }) | undefined;
  /** Receives a seed retake chooses per generation (kept across retries). */
  seed?: NodeInput | undefined;
  /** The node whose output is the result (`SaveVideo`, `VHS_VideoCombine` ...). */
  output: { node: string };
}

/** One operator-declared model, resolved: the workflow read, environment references expanded. */
export interface OperatorModel {
  id: string;
  display_name: string;
  description: string;
  pricing: Pricing;
  /** ComfyUI base URLs (`http://host:port`), each once. */
  servers: string[];
  /** Sent with every call to every server (a reverse proxy's bearer token or basic auth). */
  headers: Record<string, string>;
  /** Prompts one retake process keeps in flight on one server; default 1. */
  max_in_flight: number;
  /** Seconds before a server that did not answer is tried again; default 15. */
  retry_down_s: number;
  /** The workflow file, as written in the models file (relative to it). */
  workflow_file: string;
  workflow: ApiWorkflow;
  bindings: ComfyBindings;
}

/** A place a binding names: `name` is the binding (`keyframes.mask` for a nested one); `input` is absent for `output`. */
export interface BoundPlace {
  name: string;
  node: string;
  input?: string | undefined;
}

/** Every node (and input) the bindings name, nested ones included: the one list both start checks walk. */
export function boundPlaces(bindings: ComfyBindings): BoundPlace[] {
  const places: BoundPlace[] = [];
  const add = (name: string, value: unknown): void => {
    if (typeof value !== 'object' || value === null || !('node' in value)) return;
    const { node, input } = value as { node: string; input?: string };
    places.push({ name, node, input });
  };
  for (const [name, value] of Object.entries(bindings)) add(name, value);
  add('keyframes.mask', bindings.keyframes?.mask);
  return places;
}

/** The bindings whose input receives a file retake uploads as a video: the loader must take an uploaded video. */
export const VIDEO_UPLOAD_BINDINGS: ReadonlySet<string> = new Set(['video', 'keyframes', 'keyframes.mask']);

const nodeInput = {
  type: 'object', additionalProperties: false, required: ['node', 'input'],
  properties: { node: { type: ['string', 'integer'] }, input: { type: 'string', minLength: 1 } },
} as const;

const withProps = (extra: Record<string, unknown>, required: string[] = []) => ({
  ...nodeInput,
  required: [...nodeInput.required, ...required],
  properties: { ...nodeInput.properties, ...extra },
});

/** The models file's JSON Schema. */
export const MODELS_FILE_SCHEMA = {
  type: 'object', additionalProperties: false, required: ['models'],
  properties: {
    models: {
      type: 'array', minItems: 1,
      items: {
        type: 'object', additionalProperties: false,
        required: ['id', 'servers', 'workflow', 'bindings'],
        properties: {
          id: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,62}$' },
          display_name: { type: 'string', minLength: 1 },
          description: { type: 'string' },
          price_per_second: { oneOf: [{ type: 'number', minimum: 0 }, { const: 'free' }] },
          servers: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', pattern: '^https?://[^/?#]+/?$' } },
          headers: { type: 'object', additionalProperties: { type: 'string' } },
          max_in_flight: { type: 'integer', minimum: 1 },
          retry_down_s: { type: 'number', minimum: 0.05 },
          workflow: { type: 'string', minLength: 1 },
          bindings: {
            type: 'object', additionalProperties: false, required: ['prompt', 'video', 'output'],
            properties: {
              prompt: nodeInput, video: nodeInput, image: nodeInput, width: nodeInput, height: nodeInput,
              keyframes: withProps({ mask: nodeInput }),
              size_multiple: { type: 'integer', minimum: 1 },
              frames: withProps({ multiple_of: { type: 'integer', minimum: 1 }, plus: { type: 'integer', minimum: 0 } }),
              fps: nodeInput,
              strength: withProps({
                table: {
                  type: 'object', additionalProperties: false, required: [...EDIT_STRENGTHS],
                  properties: Object.fromEntries(EDIT_STRENGTHS.map((s) => [s, { type: 'number' }])),
                },
              }, ['table']),
              seed: nodeInput,
              output: { type: 'object', additionalProperties: false, required: ['node'], properties: { node: { type: ['string', 'integer'] } } },
            },
          },
        },
      },
    },
  },
} as const;
