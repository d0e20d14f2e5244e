/**
 * The JSON Schema of what engines report they understood (`EngineInterpretation` and
 * `EstimateInterpretation` in types.ts), for the OpenAPI document: API clients and the
 * typed client then see the same fields the engines write. Tests validate real records
 * against it, so the schema and the types cannot drift apart unnoticed.
 */
import { EDIT_STRENGTHS } from '../models/request.ts';
import { GRADE_PALETTES, LOOK_MODIFIERS, LOOK_STYLES, NAMED_COLOURS } from './local/vocabulary.ts';

type Schema = Record<string, unknown>;

const number: Schema = { type: 'number' };
const text: Schema = { type: 'string' };
const words: Schema = { type: 'array', items: text };
const share: Schema = { type: 'number', minimum: 0, maximum: 1 };
const style: Schema = { type: 'string', enum: [...LOOK_STYLES] };
const palette: Schema = { type: 'string', enum: ['none', ...GRADE_PALETTES, ...Object.keys(NAMED_COLOURS)] };
const modifiers: Schema = { type: 'array', items: { type: 'string', enum: [...LOOK_MODIFIERS] } };
const editStrength: Schema = { type: 'string', enum: [...EDIT_STRENGTHS, 'auto'] };
const fit: Schema = { type: 'object', required: ['ssim', 'delta_e'], properties: { ssim: number, delta_e: number } };

const object = (properties: Record<string, Schema>, optional: string[] = [], description?: string): Schema => ({
  type: 'object',
  ...(description ? { description } : {}),
  required: Object.keys(properties).filter((name) => !optional.includes(name)),
  properties,
});

/** The look part, shared by the estimate and the render record. */
const lookProperties: Record<string, Schema> = {
  engine: { type: 'string', const: 'retake-local' },
  look: object({ style, palette, modifiers }),
  style,
  palette,
  modifiers,
  used_words: { ...words, description: 'Prompt words (or phrases) that chose the look, in prompt order' },
  ignored_words: { ...words, description: 'Words that carry meaning but did not decide the look' },
  confidence: { ...share, description: 'Probability of the chosen style' },
  runner_up: { oneOf: [object({ style, confidence: share }), { type: 'null' }], description: 'The next most likely style' },
  decided_by: { type: 'string', enum: ['words', 'meaning', 'words and meaning', 'nothing'] },
};

const guided = object({
  mode: { type: 'string', enum: ['guided', 'prompt', 'colour_transfer'] },
  method: text,
  keyframe_fit: fit,
  image_change: fit,
  alignment: object({ score: number, aligned: { type: 'boolean' }, scale: number, shift: { type: 'array', items: number, minItems: 2, maxItems: 2 } }),
  work_size: object({ width: { type: 'integer' }, height: { type: 'integer' } }),
  strength: number,
  combination: text,
  parts: object({
    tone: object({ carried: { type: 'boolean' }, strength: share }),
    canvas: object({
      carried: { type: 'boolean' }, strength: share,
      border: { type: 'array', items: { type: 'integer', minimum: 0 }, minItems: 4, maxItems: 4, description: 'Border thickness in working pixels: top, right, bottom, left' },
      shading: { type: 'boolean', description: 'A smooth gain and offset over the frame (vignette, stains, paper tint) is kept in place' },
      rms_before: number, rms_after: number,
    }, ['border'], 'Marks tied to the canvas, kept in place on every frame'),
    picture_marks: object({ carried: { type: 'boolean' }, strength: share, te_before: number, te_after: number }, [], 'Marks tied to the picture (grain, dots, strokes), re-made on each frame'),
    not_reproduced: { ...words, description: 'What the image shows that the render does not carry' },
  }, [], 'The parts of the restyle found on frame 0; each strength is the share of what was left of the difference that the part accounts for'),
}, ['parts'], 'Guided mode: what was learned from input_image');

/**
 * A render's look part may also say that guided mode's image decided the look: style
 * `from_image`, decided by `image`, and the prompt's own reading in `prompt_look`.
 */
const renderedStyle: Schema = { type: 'string', enum: [...LOOK_STYLES, 'from_image'] };
const renderedLookProperties: Record<string, Schema> = {
  ...lookProperties,
  look: object({ style: renderedStyle, palette, modifiers }),
  style: renderedStyle,
  confidence: { ...share, description: 'Probability of the chosen style (1 when the image decided the look)' },
  decided_by: { type: 'string', enum: ['words', 'meaning', 'words and meaning', 'nothing', 'image'] },
  prompt_look: object({
    style, palette, modifiers, confidence: share,
    decided_by: { type: 'string', enum: ['words', 'meaning', 'words and meaning', 'nothing'] },
  }, [], 'Guided mode: the look the prompt alone would have rendered (not applied; the image decided the look)'),
};

/** retake-local's record of a render. */
export const localInterpretationSchema: Schema = object({
  ...renderedLookProperties,
  edit_strength: editStrength,
  schedule: object({
    cuts_s: { type: 'array', items: number },
    segments: {
      type: 'array',
      items: object({ start_s: number, end_s: number, edit_strength: editStrength, motion: number, after_cut: { type: 'boolean' } }),
    },
  }, [], 'The auto_controls schedule'),
  colour_transfer: object({ maps: { type: 'array', items: { type: 'array', items: number, minItems: 2, maxItems: 2 } }, tone_only: { type: 'boolean' } }),
  intensity: number,
  output: object({ width: { type: 'integer' }, height: { type: 'integer' }, fps: number, duration_s: number, audio: { type: 'boolean' } }),
  first_frame_image: { type: 'boolean' },
  mode: { type: 'string', enum: ['guided', 'prompt'] },
  guided,
  dynamic_range: object({
    source: { type: 'string', enum: ['sdr', 'pq', 'hlg'] },
    output: { type: 'string', enum: ['hdr10', 'sdr'] },
    sdr_white_nits: number,
    max_cll: number,
    max_fall: number,
  }, ['sdr_white_nits', 'max_cll', 'max_fall']),
  exr: object({ frames: { type: 'integer' }, pixel: { type: 'string', const: 'half' }, colour_space: text }),
}, ['schedule', 'colour_transfer', 'mode', 'guided', 'exr', 'prompt_look'], 'retake-local: the look it compiled from the prompt and what the render did with it');

/** A hosted engine's record: which provider ran the generation, under which id. */
export const hostedInterpretationSchema: Schema = object({
  engine: { type: 'string', enum: ['fal', 'luma'] },
  provider_request_id: text,
}, [], 'A hosted engine: the provider and its request id');

/** An operator's ComfyUI workflow: the server that ran it, ComfyUI's prompt id and the seed. */
export const comfyInterpretationSchema: Schema = object({
  engine: { type: 'string', const: 'comfyui' },
  provider_request_id: text,
  server: text,
  seed: { type: 'integer' },
}, [], 'A ComfyUI workflow: the server, its prompt id and the seed retake chose');

/** What a generation records (`interpretation` of a queue row); `engine` tells the shapes apart. */
export const engineInterpretationSchema: { oneOf: Schema[]; description: string } = {
  oneOf: [localInterpretationSchema, hostedInterpretationSchema, comfyInterpretationSchema],
  description: 'What the engine understood, recorded when it ran; `engine` tells the shapes apart',
};

/** What an estimate answers for retake-local, before anything runs. */
export const estimateInterpretationSchema: Schema = object({
  ...lookProperties,
  edit_strength: editStrength,
  intensity: number,
  warning: { ...text, description: 'Set when only exact words were read (the sentence model was not available)' },
}, ['warning'], 'What the engine will understand of the request (retake-local only), as recorded on the generation after a run');
