/**
 * Map whatever a fetch threw (undici, net, abort) to the guard's RetakeError codes.
 * Network detail goes into the message; the job layer retries `input_unreachable` and
 * `input_timeout`.
 */
import { RetakeError } from '../errors/index.ts';

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

/** The first RetakeError in `err`'s cause chain (undici may wrap a lookup failure). */
function findRetakeError(err: unknown): RetakeError | undefined {
  for (let e = err, depth = 0; e && depth < 5; depth++) {
    if (e instanceof RetakeError) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The first string `code` in `err`'s cause chain (`ECONNRESET`, `UND_ERR_SOCKET` ...). */
export function errorCode(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Normalise a fetch failure. */
export function toFetchError(
  err: unknown,
  context: { cancelled: boolean; timedOut: boolean; timeoutMs: number; stallMs: number },
): RetakeError {
  const known = findRetakeError(err);
  if (known) return known;
  if (context.cancelled) return new RetakeError('cancelled', 'Fetching the input was cancelled', { cause: err });
  if (context.timedOut) {
    return new RetakeError('input_timeout', `Input URL did not finish within ${context.timeoutMs} ms`, { cause: err });
  }
  const code = errorCode(err);
  if (code && TIMEOUT_CODES.has(code)) {
    return new RetakeError('input_timeout', `Input URL stalled: nothing received for ${context.stallMs} ms`, { cause: err });
  }
  const reason = code ?? (err instanceof Error ? err.message : 'unknown error');
  return new RetakeError('input_unreachable', `Input URL could not be fetched (${reason})`, { cause: err });
}
