/**
 * retake's error envelope in each of its dialects: the hub's `{error: {type, title,
 * detail}, status: "error"}`, Replicate's `{title, detail, status, code}` and fal's
 * `{detail, error_type}`. A test reads the stable code back, and an answer in any other
 * shape (Fastify's own, a bare string) reads as none.
 */
import { ERRORS } from '../../src/errors/index.ts';

/** Words of a server's internals that never belong in an error body. */
export const INTERNAL_WORDS = /Cannot read propert|is not a function|RangeError|TypeError|ENAMETOOLONG|EACCES|ENOENT|Maximum call stack|\bat \S+ \(|node:internal|\/src\//;

/** The catalogue code of an error answer in one of the envelopes, or undefined. */
export function envelopeCode(text: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  const hub = b.error as Record<string, unknown> | undefined;
  const code = b.status === 'error' && typeof hub === 'object' && hub !== null && typeof hub.detail === 'string' ? hub.type
    : typeof b.title === 'string' && typeof b.detail === 'string' && typeof b.status === 'number' ? b.code
      : b.detail !== undefined && typeof b.error_type === 'string' ? b.error_type
        : undefined;
  return typeof code === 'string' && code in ERRORS ? code : undefined;
}
