/**
 * What a caller can do about an error, for every code where there is something to
 * do. `RetakeError` appends the remedy to the detail, so the API envelope, a failed
 * generation's `error_message` and the CLI all say it; docs/errors.md's "What to do about
 * an error" table lists the same sentences (`remedies.test.ts` checks both ways).
 * Codes without an entry either carry their own way out in the detail (the hosted
 * model's 503 names the variables to set), keep the hub's exact wording (`Model not
 * found: <id>`), or have none (a cancelled generation).
 */
import type { ErrorCode } from './catalogue.ts';

export const REMEDIES: Partial<Record<ErrorCode, string>> = {
  unauthorized: "Use the key printed on the server's first start, or make one with `retake keys create --name NAME`.",
  budget_exceeded: 'Use a key with budget left (`retake keys create --name NAME --budget USD`); POST /api/ai/estimate shows a price before anything is charged.',
  hdr_access_required: 'Use a key with HDR access (`retake keys create --name NAME --hdr`), or leave out hdr and exr_export.',
  generation_not_found: 'A key sees only its own generations; GET /api/ai/queue lists them.',
  route_not_found: 'GET /openapi.json lists every route.',
  idempotency_conflict: 'Send a new Idempotency-Key with a different request.',
  payload_too_large: "Send a smaller file; the server's upload limit is RETAKE_MAX_UPLOAD_BYTES.",
  headers_too_large: 'Send a shorter URL and fewer or smaller headers; parameters belong in the JSON body.',
  generation_timeout: "The generation goes on: follow it with GET /api/ai/queue/<id> or GET /api/events (the server's RETAKE_SYNC_TIMEOUT_MS sets how long a sync request waits).",
  invalid_keyframes: 'List 1 to 64 entries of {"image": URL, "frame": integer from 0}, and leave out input_image (a keyframe at frame 0 does its job).',
  duplicate_keyframe_frames: 'Keep one image per frame.',
  keyframe_past_end: "Number keyframes from 0 in the source's own frames: a time t seconds is frame t × the source's frame rate (the CLI's --keyframe 2.5s:FILE does it for you).",
  keyframes_not_supported: "Give one keyframe at frame 0 (or input_image), or run the hosted model through Luma's Agents API (LUMA_API_KEY), the route that takes keyframes.",
  controls_not_supported: "Leave out controls: they reach model luma-ray-v3-2-video-to-video through Luma's Agents API (LUMA_API_KEY).",
  input_url_invalid: 'Give an http(s) URL, or upload the file with POST /api/files and use the URL it answers with.',
  input_url_blocked: 'Upload the file with POST /api/files and use the URL it answers with, or, for local development only, start the server with RETAKE_ALLOW_PRIVATE_URLS=1.',
  input_unreachable: 'Check that the URL opens from the server, or upload the file with POST /api/files.',
  input_http_error: 'Check that the URL opens from the server, or upload the file with POST /api/files.',
  input_timeout: "Upload the file with POST /api/files; the server's fetch limit is RETAKE_FETCH_TIMEOUT_MS.",
  input_too_large: "Trim or re-encode the input to make it smaller (a retake server's own limit is RETAKE_MAX_INPUT_BYTES).",
  input_not_media: 'Send a video (MP4, MOV, WebM, MKV ...) or an image that FFmpeg can read.',
  input_container_refused: 'Send the video file itself (MP4, MOV, WebM, MKV, AVI, MPEG-TS, FLV, Ogg) or an image, not a playlist, a list of files or a stream URL.',
  input_no_video_stream: 'Send a file with a video track; an audio-only file cannot be edited.',
  input_too_long: 'Trim the source first: an edit uses at most its first 10 seconds.',
  input_too_many_pixels: "Scale the source down first: the output's short side is at most 1080 pixels.",
  workflow_failed: "The message names the ComfyUI node that failed and why; the server's operator can run the workflow in ComfyUI to fix it (docs/comfyui.md).",
};

/** The remedy for `code`, if there is one. */
export function remedyFor(code: ErrorCode): string | undefined {
  return REMEDIES[code];
}
