/**
 * retake's request as a Luma Agents API generation (`POST /generations`, `model:
 * "ray-3.2"`, `type: "video_edit"`), in the shapes of `agents-api-types.ts`. Output
 * settings live under `video`; how the edit treats the source lives under `video.edit`.
 *
 * - `edit_strength: "adhere_1".."reimagine_3"` → `video.edit.strength` (the same nine
 *   presets); `auto_controls: true` → `video.edit.auto_controls`; neither → no
 *   strength, so Luma applies the model's default conditioning.
 * - `controls` → `video.edit.controls`, signal by signal, field by field.
 * - `input_image`, or one keyframe at frame 0 → `video.start_frame` (the single-anchor
 *   case); any other `keyframes` → `video.edit.keyframes` with the parallel
 *   `video.edit.keyframe_indexes`.
 * - The source is `{url, media_type}` when Luma can fetch it; sources and images Luma
 *   cannot reach are inline `{data, media_type}` (base64).
 */
import type { EditControls, VideoRequest } from '../../models/request.ts';
import type { LumaControls, LumaImageRef, LumaVideoEdit, LumaVideoEditRequest, LumaVideoOptions } from './agents-api-types.ts';

/** The guide images, already turned into references Luma can read. */
export type LumaGuides =
  | { kind: 'none' }
  | { kind: 'first_frame'; image: LumaImageRef }
  | { kind: 'keyframes'; keyframes: { image: LumaImageRef; frame: number }[] };

export function lumaGeneration(request: VideoRequest, source: LumaImageRef, guides: LumaGuides): LumaVideoEditRequest {
  const edit: LumaVideoEdit = {};
  if (request.auto_controls) edit.auto_controls = true;
  else if (request.edit_strength !== undefined) edit.strength = request.edit_strength;
  if (request.controls) edit.controls = lumaControls(request.controls);
  if (guides.kind === 'keyframes') {
    edit.keyframes = guides.keyframes.map((k) => k.image);
    edit.keyframe_indexes = guides.keyframes.map((k) => k.frame);
  }
  const video: LumaVideoOptions = {
    resolution: request.resolution,
    duration: request.duration,
    hdr: request.hdr,
    exr_export: request.exr_export,
  };
  if (guides.kind === 'first_frame') video.start_frame = guides.image;
  if (Object.keys(edit).length > 0) video.edit = edit;
  return { model: 'ray-3.2', type: 'video_edit', prompt: request.prompt, source, video };
}

/** Copy each signal's known fields only, so nothing outside the API's shape is sent. */
function lumaControls(controls: EditControls): LumaControls {
  const out: LumaControls = {};
  const { depth, face, normals, pose, trajectory } = controls;
  if (depth) out.depth = defined({ enabled: depth.enabled, blur: depth.blur });
  if (face) out.face = defined({ enabled: face.enabled });
  if (normals) out.normals = defined({ enabled: normals.enabled, augmentation: normals.augmentation });
  if (pose) out.pose = defined({ enabled: pose.enabled, strength: pose.strength });
  if (trajectory) out.trajectory = defined({ enabled: trajectory.enabled, sparsity: trajectory.sparsity });
  return out;
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
