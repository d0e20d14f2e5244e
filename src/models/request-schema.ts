/**
 * The request JSON Schema shared by every video-to-video model, with the hub's
 * extensions (`basic`, `x-order`, `renderType`) and the cross-field rules inside the
 * schema itself (`allOf` with `if`/`then`/`not`), so any client can validate before it
 * pays. Entitlements (HDR access, budget) are the server's to check.
 */
import { DURATIONS, EDIT_STRENGTHS, RESOLUTIONS } from './request.ts';

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
  'prompt', 'input_video', 'input_image', 'resolution', 'duration',
  'edit_strength', 'auto_controls', 'hdr', 'exr_export',
] as const;

/** Fields a model may leave out of its schema (an operator's workflow without an image input ...). */
export type OptionalField = 'input_image' | 'edit_strength' | 'auto_controls' | 'hdr' | 'exr_export';

/**
 * Build the request schema object (a fresh copy each call; callers may mutate it).
 * `omit` drops fields a model does not offer, with the cross-field rules about them.
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
  return CROSS_FIELD_RULES.filter((rule) =>
    [rule.field, ...Object.keys(rule.schema.if.properties)].every((name) => !omit.includes(name as OptionalField)));
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
