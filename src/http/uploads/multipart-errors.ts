/**
 * Errors of a malformed multipart body (no boundary, a part cut short, an absurd
 * boundary) surface from the parser as plain `Error`s; they describe the request, so
 * they are a 400, not an internal error. System errors (a full disk) stay 500.
 */
import { RetakeError } from '../../errors/index.ts';

/** Map an error thrown while reading a multipart upload to what the client should see. */
export function multipartError(err: unknown): unknown {
  if (err instanceof RetakeError) return err;
  const e = err as { code?: unknown; syscall?: unknown; statusCode?: unknown; message?: unknown };
  if (e.code === 'FST_FILES_LIMIT') {
    return new RetakeError('bad_request', 'Send exactly one file per upload, in the field "file"', {
      cause: err, fields: [{ field: 'file', message: 'exactly one file is expected' }],
    });
  }
  // Fastify's own multipart errors already carry a client status.
  if (typeof e.statusCode === 'number' || typeof e.syscall === 'string') return err;
  if (err instanceof Error) {
    const why = typeof e.message === 'string' && e.message.length < 200 ? `: ${e.message}` : '';
    return new RetakeError('bad_request', `Malformed multipart body${why}`, { cause: err });
  }
  return err;
}

/**
 * Watch a multipart body go by and tell, once it has ended, whether it ended with its
 * closing boundary. The parser treats a body cut off before any part as an empty form;
 * this tells "no file sent" (422) from "the body was cut short" (400).
 */
export function closingBoundaryWatch(body: NodeJS.ReadableStream, contentType: string | undefined): () => boolean {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  const closing = `--${boundary?.[1] ?? boundary?.[2] ?? ''}--`;
  let tail = '';
  body.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString('latin1')).slice(-(closing.length + 64));
  });
  return () => boundary !== null && tail.trimEnd().endsWith(closing);
}
