/**
 * retake's request as the input of fal's `luma/agent/ray/v3.2/video-to-video`. The hub
 * renamed two of fal's fields (`video_url` → `input_video`, `start_image_url` →
 * `input_image`); everything else keeps its name and value. Optional fields the user did
 * not set are left out, so fal applies the model's own defaults.
 */
import type { VideoRequest } from '../../models/request.ts';

/** The fal app (endpoint id) retake submits to. */
export const FAL_APP = 'luma/agent/ray/v3.2/video-to-video';

/** Build fal's input; `videoUrl` / `imageUrl` are URLs fal can fetch (public, or fal storage). */
export function falInput(request: VideoRequest, videoUrl: string, imageUrl: string | undefined): Record<string, unknown> {
  const input: Record<string, unknown> = {
    prompt: request.prompt,
    video_url: videoUrl,
    resolution: request.resolution,
    duration: request.duration,
    hdr: request.hdr,
    exr_export: request.exr_export,
  };
  if (imageUrl !== undefined) input.start_image_url = imageUrl;
  // The schema allows one of the two; both keep fal's names and values unchanged.
  if (request.edit_strength !== undefined) input.edit_strength = request.edit_strength;
  if (request.auto_controls !== undefined) input.auto_controls = request.auto_controls;
  return input;
}
