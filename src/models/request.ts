/**
 * The video-to-video request every model accepts, as a TypeScript type. The JSON Schema
 * in `request-schema.ts` is the source of truth for validation; this mirrors it.
 */
export const RESOLUTIONS = ['540p', '720p', '1080p'] as const;
export const DURATIONS = ['5s', '10s'] as const;
export const EDIT_STRENGTHS = [
  'adhere_1', 'adhere_2', 'adhere_3',
  'flex_1', 'flex_2', 'flex_3',
  'reimagine_1', 'reimagine_2', 'reimagine_3',
] as const;

export type Resolution = (typeof RESOLUTIONS)[number];
export type Duration = (typeof DURATIONS)[number];
export type EditStrength = (typeof EDIT_STRENGTHS)[number];

export interface KeyframeRef { image: string; frame: number }

/** A validated request with defaults applied. */
export interface VideoRequest {
  prompt: string;
  input_video: string;
  input_image?: string | undefined;
  keyframes?: readonly KeyframeRef[];
  resolution: Resolution;
  duration: Duration;
  edit_strength?: EditStrength | undefined;
  auto_controls?: boolean | undefined;
  hdr: boolean;
  exr_export: boolean;
}

/** Fields of a request body that belong to the envelope, not to the model's request. */
export const ENVELOPE_FIELDS = ['model', 'num_generations', 'response_format', 'webhook_url'] as const;

/** Short side in pixels for each resolution. */
export const SHORT_SIDE: Record<Resolution, number> = { '540p': 540, '720p': 720, '1080p': 1080 };

/** Seconds for each duration. */
export const DURATION_SECONDS: Record<Duration, number> = { '5s': 5, '10s': 10 };
