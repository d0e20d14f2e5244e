/**
 * What the Luma stand-in accepts on `POST /v1/generations`: the request types of Luma's
 * official TypeScript SDK (`lumalabs/luma-agents-typescript`, `src/resources/
 * generations.ts`, `GenerationCreateParams` and the types it uses), written as a JSON
 * Schema that refuses every field the SDK does not define, plus the rules its comments
 * state (exactly one of url / data / generation_id; media_type with data and with a
 * video_edit source URL; keyframes parallel to unique, non-negative keyframe_indexes, at
 * most 64, never with start_frame; exr_export needs hdr; edit only on video_edit).
 */
import { Ajv2020 } from 'ajv/dist/2020.js';

const nullable = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: 'null' }] });
const closed = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object', additionalProperties: false, properties, required,
});
const unit = { type: 'number', minimum: 0, maximum: 1 };
const bool = nullable({ type: 'boolean' });

const imageRef = closed({
  data: nullable({ type: 'string' }),
  generation_id: nullable({ type: 'string' }),
  media_type: nullable({ type: 'string' }),
  url: nullable({ type: 'string' }),
});

const controls = closed({
  depth: nullable(closed({ blur: nullable(unit), enabled: bool })),
  face: nullable(closed({ enabled: bool })),
  normals: nullable(closed({ augmentation: nullable(unit), enabled: bool })),
  pose: nullable(closed({ enabled: bool, strength: nullable({ enum: ['precise', 'coarse'] }) })),
  trajectory: nullable(closed({ enabled: bool, sparsity: nullable(unit) })),
});

const strengths = ['adhere_1', 'adhere_2', 'adhere_3', 'flex_1', 'flex_2', 'flex_3', 'reimagine_1', 'reimagine_2', 'reimagine_3'];

const videoEdit = closed({
  auto_controls: bool,
  controls: nullable(controls),
  keyframe_indexes: nullable({ type: 'array', items: { type: 'integer', minimum: 0 } }),
  keyframes: nullable({ type: 'array', items: { $ref: '#/$defs/ImageRef' } }),
  strength: nullable({ enum: strengths }),
});

const sourcePosition = closed(
  { h_norm: { type: 'number' }, w_norm: { type: 'number' }, x_norm: { type: 'number' }, y_norm: { type: 'number' } },
  ['h_norm', 'w_norm', 'x_norm', 'y_norm'],
);

const videoOptions = closed({
  duration: nullable({ enum: ['5s', '10s'] }),
  edit: nullable(videoEdit),
  end_frame: nullable({ $ref: '#/$defs/ImageRef' }),
  exr_export: bool,
  hdr: bool,
  loop: bool,
  resolution: nullable({ enum: ['540p', '720p', '1080p'] }),
  source_position: nullable(sourcePosition),
  start_frame: nullable({ $ref: '#/$defs/ImageRef' }),
});

const createParams = {
  ...closed({
    prompt: { type: 'string' },
    aspect_ratio: nullable({ enum: ['3:1', '2:1', '21:9', '16:9', '4:3', '3:2', '1:1', '3:4', '2:3', '9:16', '1:2', '1:3'] }),
    image_ref: { type: 'array', items: { $ref: '#/$defs/ImageRef' } },
    model: { enum: ['uni-1', 'uni-1-max', 'ray-3.2'] },
    output_format: nullable({ enum: ['png', 'jpeg'] }),
    source: nullable({ $ref: '#/$defs/ImageRef' }),
    style: { enum: ['auto', 'manga'] },
    type: { enum: ['image', 'image_edit', 'video', 'video_edit', 'video_reframe'] },
    user_id: nullable({ type: 'string' }),
    video: nullable(videoOptions),
    web_search: { type: 'boolean' },
  }, ['prompt']),
  $defs: { ImageRef: imageRef },
};

const validateShape = new Ajv2020({ allErrors: true, strict: false }).compile(createParams);

type Ref = { data?: string | null; generation_id?: string | null; media_type?: string | null; url?: string | null };
interface Body {
  type?: string;
  source?: Ref | null;
  video?: {
    hdr?: boolean | null; exr_export?: boolean | null; start_frame?: Ref | null; end_frame?: Ref | null;
    edit?: { keyframes?: Ref[] | null; keyframe_indexes?: number[] | null } | null;
  } | null;
}

function refProblems(ref: Ref | null | undefined, where: string, isVideoSource: boolean): string[] {
  if (!ref) return [];
  const given = (['url', 'data', 'generation_id'] as const).filter((k) => ref[k] != null);
  if (given.length !== 1) return [`${where}: provide exactly one of url, data or generation_id (got ${given.join(', ') || 'none'})`];
  if (ref.data != null && !ref.media_type) return [`${where}: media_type is required with data`];
  if (isVideoSource && ref.url != null && !ref.media_type) return [`${where}: media_type is required with source.url on video_edit`];
  if (isVideoSource && ref.media_type && !/^video\//.test(ref.media_type) && ref.generation_id == null) {
    return [`${where}: a video_edit source must have a video/* media_type`];
  }
  return [];
}

/** Every reason the real API would refuse `body`; empty when it conforms. */
export function lumaRequestProblems(body: unknown): string[] {
  if (!validateShape(body)) {
    return (validateShape.errors ?? []).map((e) => `${e.instancePath || 'body'} ${e.message ?? 'is invalid'}${
      e.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : ''}`);
  }
  const b = body as Body;
  const edit = b.video?.edit;
  const problems = [
    ...refProblems(b.source, 'source', b.type === 'video_edit' || b.type === 'video_reframe'),
    ...refProblems(b.video?.start_frame, 'video.start_frame', false),
    ...refProblems(b.video?.end_frame, 'video.end_frame', false),
    ...(edit?.keyframes ?? []).flatMap((k, i) => refProblems(k, `video.edit.keyframes[${i}]`, false)),
  ];
  if (edit && b.type !== 'video_edit') problems.push('video.edit is only valid when type is video_edit');
  if (b.video?.exr_export && !b.video.hdr) problems.push('video.exr_export requires hdr=true');
  const keyframes = edit?.keyframes ?? [];
  const indexes = edit?.keyframe_indexes ?? [];
  if (keyframes.length !== indexes.length) problems.push('video.edit.keyframe_indexes must match keyframes in length');
  if (keyframes.length > 64) problems.push('video.edit.keyframes takes up to 64 anchors');
  if (new Set(indexes).size !== indexes.length) problems.push('video.edit.keyframe_indexes must be unique');
  if (keyframes.length > 0 && b.video?.start_frame) problems.push('video.edit.keyframes is mutually exclusive with video.start_frame');
  return problems;
}
