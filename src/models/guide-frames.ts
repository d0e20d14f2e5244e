/**
 * How a request's guide images read, whatever the engine: `input_image` is the single
 * keyframe at frame 0, and so is a `keyframes` list holding one entry at frame 0 (the two
 * spellings give the same edit). Anything else in `keyframes` is a multi-keyframe edit.
 */
import type { KeyframeRef, VideoRequest } from './request.ts';

export type GuideFrames =
  | { kind: 'none' }
  /** One image at frame 0: `input_image`, or the one keyframe at frame 0. */
  | { kind: 'first_frame'; image: string }
  /** Several keyframes, or one away from frame 0, in the order given. */
  | { kind: 'keyframes'; keyframes: readonly KeyframeRef[] };

export function guideFrames(request: Pick<VideoRequest, 'input_image' | 'keyframes'>): GuideFrames {
  if (request.input_image !== undefined) return { kind: 'first_frame', image: request.input_image };
  const keyframes = request.keyframes ?? [];
  if (keyframes.length === 0) return { kind: 'none' };
  const [only] = keyframes;
  if (keyframes.length === 1 && only?.frame === 0) return { kind: 'first_frame', image: only.image };
  return { kind: 'keyframes', keyframes };
}

/**
 * The request as the single-image path reads it: one keyframe at frame 0 becomes
 * `input_image`, so an engine renders it exactly as it renders that image. Other
 * requests are returned unchanged.
 */
export function withFirstFrameAsImage(request: VideoRequest): VideoRequest {
  const guides = guideFrames(request);
  if (guides.kind !== 'first_frame' || request.input_image !== undefined) return request;
  const { keyframes: _single, ...rest } = request;
  return { ...rest, input_image: guides.image };
}
