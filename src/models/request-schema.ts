/**
 * The request JSON Schema shared by every video-to-video model, with the hub's
 * extensions (`basic`, `x-order`, `renderType`) and the cross-field rules inside the
 * schema itself (`allOf` with `if`/`then`/`not`), so any client can validate before it
 * pays. Entitlements (HDR access, budget) are the server's to check.
 */
import { DURATIONS, EDIT_STRENGTHS, MAX_KEYFRAMES, RESOLUTIONS } from './request.ts';

/** Cross-field rules, in `allOf` order; `message` is what a 422 says when one fails. */
export const CROSS_FIELD_RULES = [
  {
    field: 'edit_strength',
    message: 'edit_strength cannot be combined with auto_controls: true (choose one)',
    schema: {
      if: { required: ['auto_controls'], properties: { auto_controls: { const: true } } },
      then: { not: { required: ['edit_strength'] } },
    },
  },
  {
    field: 'keyframes',
    message: 'keyframes cannot be combined with input_image (input_image is the keyframe at frame 0; list it in keyframes instead)',
    schema: {
      if: { required: ['keyframes'] },
      then: { not: { required: ['input_image'] } },
    },
  },
  {
    field: 'resolution',
    message: 'hdr: true needs resolution 720p or 1080p',
    schema: {
      if: { required: ['hdr'], properties: { hdr: { const: true } } },
      then: { required: ['resolution'], properties: { resolution: { enum: ['720p', '1080p'] } } },
    },
  },
  {
    field: 'exr_export',
    message: 'exr_export: true needs hdr: true',
    schema: {
      if: { required: ['exr_export'], properties: { exr_export: { const: true } } },
      then: { required: ['hdr'], properties: { hdr: { const: true } } },
    },
  },
] as const;

const ORDER = [
  'prompt', 'input_video', 'input_image', 'keyframes', 'resolution', 'duration',
  'edit_strength', 'auto_controls', 'controls', 'hdr', 'exr_export',
] as const;

const unit = (description: string) => ({ type: 'number', minimum: 0, maximum: 1, description });
const enabled = { type: 'boolean', description: 'Turn this conditioning on or off; omit for the model default.' };
const signal = (description: string, properties: Record<string, unknown>) => ({
  type: 'object', additionalProperties: false, minProperties: 1, description, properties: { enabled, ...properties },
});

/** `controls`: the hosted model's per-signal conditioning (Luma's `video.edit.controls`). */
const CONTROLS_SCHEMA = {
  type: 'object', additionalProperties: false, minProperties: 1, title: 'Controls',
  description: 'Per-signal conditioning of the hosted model (Luma Agents API route): depth, face, normals, pose, trajectory. Hosted model only.',
  properties: {
    depth: signal('Depth / scene geometry.', { blur: unit('Depth-map blur, 0..1: higher allows more geometric freedom.') }),
    face: signal('Face identity.', {}),
    normals: signal('Surface normals.', { augmentation: unit('0..1: higher reinterprets surface geometry more.') }),
    pose: signal('Pose / skeleton.', { strength: { type: 'string', enum: ['precise', 'coarse'], description: 'How closely poses are followed.' } }),
    trajectory: signal('Motion trajectory.', { sparsity: unit('0..1: higher uses fewer motion anchors.') }),
  },
};

/** Fields a model may leave out of its schema (an operator's workflow without an image input, the local engine's `controls` ...). */
export type OptionalField = 'input_image' | 'keyframes' | 'edit_strength' | 'auto_controls' | 'controls' | 'hdr' | 'exr_export';

/**
 * Build the request schema object (a fresh copy each call; callers may mutate it).
 * `omit` drops fields a model does not offer, with the cross-field rules about them;
 * without it, the schema lists every field (the one every body can be checked against).
 */
export function requestSchema(omit: readonly OptionalField[] = []): Record<string, unknown> {
  const schema = fullSchema();
  if (omit.length === 0) return schema;
  const properties = schema.properties as Record<string, unknown>;
  for (const field of omit) delete properties[field];
  const kept = (name: string) => !omit.includes(name as OptionalField);
  schema.basic = (schema.basic as string[]).filter(kept);
  schema['x-order'] = (schema['x-order'] as string[]).filter(kept);
  const rules = rulesFor(omit);
  // JSON Schema wants a non-empty allOf: without rules there is none.
  if (rules.length > 0) schema.allOf = rules.map((rule) => rule.schema);
  else delete schema.allOf;
  return schema;
}

/** The cross-field rules of a schema without `omit`, in its `allOf` order: those about an omitted field go. */
export function rulesFor(omit: readonly OptionalField[] = []): (typeof CROSS_FIELD_RULES)[number][] {
  return CROSS_FIELD_RULES.filter((rule) => {
    const names: readonly string[] = [rule.field, ...rule.schema.if.required, ...Object.keys('properties' in rule.schema.if ? rule.schema.if.properties : {})];
    return names.every((name) => !omit.includes(name as OptionalField));
  });
}

function fullSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    title: 'VideoToVideoRequest',
    required: ['prompt', 'input_video'],
    basic: ['prompt', 'input_video', 'input_image', 'resolution', 'duration'],
    'x-order': [...ORDER],
    additionalProperties: false,
    properties: {
      prompt: {
        type: 'string', minLength: 1, maxLength: 2000, title: 'Prompt',
        description: 'How to edit the video: a style, a palette, modifiers ("watercolor, warm, soft").',
      },
      input_video: {
        type: 'string', format: 'uri', title: 'Input video', renderType: 'video-url',
        description: 'Source video: an http/https URL, or a URL returned by POST /api/files.',
      },
      input_image: {
        type: 'string', format: 'uri', title: 'Input image', renderType: 'image-url',
        description: "Image used as the edited video's first frame; its look steers the whole edit.",
      },
      keyframes: {
        type: 'array', minItems: 1, maxItems: MAX_KEYFRAMES, title: 'Keyframes',
        description: 'Restyled frames at positions in the source\'s frame grid (0-based, unique, within the source): one per shot, or a look that changes over time. Not with input_image.',
        items: {
          type: 'object', additionalProperties: false, required: ['image', 'frame'],
          properties: {
            image: { type: 'string', format: 'uri', title: 'Image', renderType: 'image-url', description: 'A restyle of the source frame at `frame`.' },
            frame: { type: 'integer', minimum: 0, title: 'Frame', description: '0-based index of the source frame the image restyles.' },
          },
        },
      },
      resolution: {
        type: 'string', enum: [...RESOLUTIONS], default: '540p', title: 'Resolution',
        description: 'Short side of the output; higher costs more.',
      },
      duration: {
        type: 'string', enum: [...DURATIONS], default: '5s', title: 'Duration',
        description: 'Length of the output (a shorter source yields its own length, with a warning).',
      },
      edit_strength: {
        type: 'string', enum: [...EDIT_STRENGTHS], title: 'Edit strength',
        description: 'adhere stays closest to the source, reimagine diverges most. Not with auto_controls. Default: flex_2.',
      },
      auto_controls: {
        type: 'boolean', title: 'Auto controls',
        description: 'Derive the edit-strength schedule from the source video. Not with edit_strength.',
      },
      controls: CONTROLS_SCHEMA,
      hdr: {
        type: 'boolean', default: false, title: 'HDR',
        description: 'HDR10 output; needs HDR access on the key and 720p or 1080p.',
      },
      exr_export: {
        type: 'boolean', default: false, title: 'EXR export',
        description: 'Also export an OpenEXR sidecar; needs hdr=true and HDR access.',
      },
    },
    allOf: CROSS_FIELD_RULES.map((rule) => rule.schema),
  };
}
