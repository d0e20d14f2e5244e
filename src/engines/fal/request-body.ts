/**
 * retake's request as the input of fal's `luma/agent/ray/v3.2/video-to-video`. The hub
 * renamed two of fal's fields (`video_url` → `input_video`, `start_image_url` →
 * `input_image`); everything else keeps its name and value. Optional fields the user did
 * not set are left out, so fal applies the model's own defaults.
 */
import { RetakeError } from '../../errors/index.ts';
import { guideFrames } from '../../models/index.ts';
import type { VideoRequest } from '../../models/request.ts';

/** The fal app (endpoint id) retake submits to. */
export const FAL_APP = 'luma/agent/ray/v3.2/video-to-video';

/**
 * The image fal's `start_image_url` takes: `input_image`, or one keyframe at frame 0.
 * fal's endpoint has no other place for a guide frame, nor for controls: those are 422s
 * before anything is queued, naming the route that takes them.
 */
export function falStartImage(request: VideoRequest): string | undefined {
  const guides = guideFrames(request);
  if (guides.kind === 'keyframes') {
    const frames = guides.keyframes.map((k) => k.frame).join(', ');
    throw new RetakeError('keyframes_not_supported', `The hosted model runs through fal here, whose endpoint takes one keyframe at frame 0 (start_image_url); this request has keyframes at frames ${frames}. Luma's Agents API route takes up to 64`, {
      fields: [{ field: 'keyframes', message: 'fal takes one keyframe, at frame 0' }],
    });
  }
  if (request.controls) {
    throw new RetakeError('controls_not_supported', "The hosted model runs through fal here, whose endpoint takes no controls", {
      fields: [{ field: 'controls', message: 'fal takes no controls' }],
    });
  }
  return guides.kind === 'first_frame' ? guides.image : undefined;
}

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
