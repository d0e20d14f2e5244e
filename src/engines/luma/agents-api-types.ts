/**
 * The part of Luma's Agents API request retake sends (`POST /generations`), typed from
 * the facts in Luma's official TypeScript SDK (`lumalabs/luma-agents-typescript`,
 * `src/resources/generations.ts`, release 0.3.0). Only the fields a video edit uses are
 * written down; a field absent here is one retake never sends.
 */

/**
 * A media reference: exactly one of `url`, `data` (base64, with `media_type`) or
 * `generation_id`. A video `source` given by `url` carries `media_type` too (`video/*`),
 * so Luma can start its video ingest before fetching the bytes.
 */
export type LumaImageRef =
  | { url: string; media_type?: string }
  | { data: string; media_type: string }
  | { generation_id: string };

/** Depth / scene-geometry conditioning; `blur` 0..1 gives more geometric freedom. */
export interface LumaDepthControl {
  enabled?: boolean;
  blur?: number;
}

/** Face-identity conditioning. */
export interface LumaFaceControl {
  enabled?: boolean;
}

/** Surface-normals conditioning; `augmentation` 0..1 lets surfaces be reinterpreted more. */
export interface LumaNormalsControl {
  enabled?: boolean;
  augmentation?: number;
}

/** Pose / skeleton conditioning. */
export interface LumaPoseControl {
  enabled?: boolean;
  strength?: 'precise' | 'coarse';
}

/** Motion-trajectory conditioning; `sparsity` 0..1 uses fewer motion anchors. */
export interface LumaTrajectoryControl {
  enabled?: boolean;
  sparsity?: number;
}

/** Per-signal manual conditioning of a video edit (the SDK's `AdvancedControls`). */
export interface LumaControls {
  depth?: LumaDepthControl;
  face?: LumaFaceControl;
  normals?: LumaNormalsControl;
  pose?: LumaPoseControl;
  trajectory?: LumaTrajectoryControl;
}

export type LumaEditStrength =
  | 'adhere_1' | 'adhere_2' | 'adhere_3'
  | 'flex_1' | 'flex_2' | 'flex_3'
  | 'reimagine_1' | 'reimagine_2' | 'reimagine_3';

/**
 * `video.edit`: how the edit treats the source. `keyframes` and `keyframe_indexes` are
 * parallel lists (same length, indexes unique and non-negative in the source's frame
 * grid, at most 64 anchors) and exclude `video.start_frame`, the single-anchor case.
 */
export interface LumaVideoEdit {
  auto_controls?: boolean;
  strength?: LumaEditStrength;
  controls?: LumaControls;
  keyframes?: LumaImageRef[];
  keyframe_indexes?: number[];
}

/** `video`: output settings, the first-frame guide and the edit options. */
export interface LumaVideoOptions {
  resolution?: '540p' | '720p' | '1080p';
  duration?: '5s' | '10s';
  hdr?: boolean;
  /** Needs `hdr: true`. */
  exr_export?: boolean;
  start_frame?: LumaImageRef;
  edit?: LumaVideoEdit;
}

/** The body of `POST /generations` for a Ray 3.2 video edit. */
export interface LumaVideoEditRequest {
  model: 'ray-3.2';
  type: 'video_edit';
  prompt: string;
  source: LumaImageRef;
  video: LumaVideoOptions;
}

/** Most guide frames Luma takes under `video.edit.keyframes`. */
export const LUMA_MAX_KEYFRAMES = 64;
