/**
 * The one catalogue of every error retake can return: a stable string code, its HTTP
 * status and a title. The API envelope, the generation rows (`error_code`) and the docs
 * all read from here; `errors/catalogue.test.ts` fails when a code is missing from the
 * error table in docs/errors.md.
 */
export const ERRORS = {
  // Request errors (returned by the HTTP API before anything is queued or charged).
  bad_request: { status: 400, title: 'Malformed request' },
  unauthorized: { status: 401, title: 'Missing or invalid API key' },
  budget_exceeded: { status: 402, title: 'Budget exceeded for this key' },
  hdr_access_required: { status: 403, title: 'HDR access required' },
  cross_origin_forbidden: { status: 403, title: 'Cross-origin request refused' },
  model_not_found: { status: 404, title: 'Model not found' },
  generation_not_found: { status: 404, title: 'Generation not found' },
  file_not_found: { status: 404, title: 'File not found' },
  route_not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  request_timeout: { status: 408, title: 'Request not received in time' },
  not_cancellable: { status: 409, title: 'Generation can no longer be cancelled' },
  idempotency_conflict: { status: 409, title: 'Idempotency-Key reused with a different request' },
  idempotency_in_progress: { status: 409, title: 'A request with this Idempotency-Key is still running' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  range_not_satisfiable: { status: 416, title: 'Range not satisfiable' },
  validation_error: { status: 422, title: 'Invalid request parameters' },
  invalid_keyframes: { status: 422, title: 'Invalid keyframes' },
  duplicate_keyframe_frames: { status: 422, title: 'Two keyframes at the same frame' },
  keyframe_past_end: { status: 422, title: 'Keyframe past the end of the source' },
  keyframes_not_supported: { status: 422, title: 'This route takes one keyframe, at frame 0' },
  controls_not_supported: { status: 422, title: 'This model or route does not take controls' },
  rate_limited: { status: 429, title: 'Too many requests' },
  headers_too_large: { status: 431, title: 'Request line or headers too large' },
  internal_error: { status: 500, title: 'Internal error' },
  provider_not_configured: { status: 503, title: 'Hosted model not configured' },
  service_unavailable: { status: 503, title: 'Service unavailable' },
  generation_timeout: { status: 504, title: 'Generation did not finish in time' },

  // Job errors (recorded on a failed generation as error_code / error_message; the sync
  // endpoint returns them with these statuses).
  input_url_invalid: { status: 422, title: 'Input URL is not a valid http(s) URL' },
  input_url_blocked: { status: 422, title: 'Input URL points at a private or local address' },
  input_unreachable: { status: 422, title: 'Input URL could not be fetched' },
  input_http_error: { status: 422, title: 'Input URL answered with an error status' },
  input_timeout: { status: 422, title: 'Input URL took too long to respond' },
  input_too_large: { status: 422, title: 'Input file is too large' },
  input_not_media: { status: 422, title: 'Input is not a readable video or image' },
  input_container_refused: { status: 422, title: 'Input is a playlist or a container retake does not read' },
  input_no_video_stream: { status: 422, title: 'Input has no video stream' },
  input_too_long: { status: 422, title: 'Input video is too long' },
  input_too_many_pixels: { status: 422, title: 'Input video has too many pixels per frame' },
  input_corrupt: { status: 422, title: 'Input video is truncated or corrupt' },
  render_failed: { status: 500, title: 'Rendering failed' },
  engine_unavailable: { status: 503, title: 'Engine unavailable' },
  workflow_failed: { status: 500, title: 'The ComfyUI workflow failed' },
  provider_rejected: { status: 502, title: 'The hosted provider rejected the request' },
  content_moderated: { status: 422, title: "Refused by the provider's content moderation" },
  cancelled: { status: 409, title: 'Generation was cancelled' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** Job error codes that are worth another attempt (a later try may succeed). */
export const TRANSIENT_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'input_unreachable',
  'input_timeout',
  'engine_unavailable',
  'service_unavailable',
]);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERRORS, value);
}
