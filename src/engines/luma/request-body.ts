/**
 * retake's request as a Luma Agents API generation (`POST /generations`, `model:
 * "ray-3.2"`, `type: "video_edit"`). Output settings live under `video`; how much the edit
 * keeps of the source lives under `video.edit`.
 *
 * Strength mapping (both sides use the same nine presets, which is also what fal's
 * wrapper of this API passes through):
 * - `edit_strength: "adhere_1".."reimagine_3"` → `video.edit.strength` with the same
 *   value (adhere stays closest to the source, reimagine diverges most);
 * - `auto_controls: true` → `video.edit.auto_controls: true` (the model derives the
 *   schedule from the source);
 * - neither → no `video.edit`, so Luma applies the model's default conditioning.
 *
 * `input_image` becomes the edit's single guide frame: a keyframe at frame 0 under
 * `video.edit.keyframes`. Sources and images are `{url}` when Luma can fetch them, or
 * inline `{data, media_type}` (base64) when they are private or uploaded to retake.
 */
import type { VideoRequest } from '../../models/request.ts';

/** A media reference as the Agents API takes it. */
export type LumaMediaRef = { url: string } | { data: string; media_type: string };

export function lumaGeneration(request: VideoRequest, source: LumaMediaRef, guideImage: LumaMediaRef | undefined): Record<string, unknown> {
  const edit: Record<string, unknown> = {};
  if (request.auto_controls) edit.auto_controls = true;
  else if (request.edit_strength !== undefined) edit.strength = request.edit_strength;
  if (guideImage) edit.keyframes = [{ frame_index: 0, image: guideImage }];
  const video: Record<string, unknown> = {
    resolution: request.resolution,
    duration: request.duration,
    hdr: request.hdr,
    exr_export: request.exr_export,
  };
  if (Object.keys(edit).length > 0) video.edit = edit;
  return { model: 'ray-3.2', type: 'video_edit', prompt: request.prompt, source, video };
}
