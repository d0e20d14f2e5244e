/**
 * The limit on JSON request bodies, and what happens past it. A body over the limit is
 * a 413 that names this limit (not the upload limit, which is another one) and says
 * where media belongs. Fastify answers it as soon as it knows, often while the client
 * is still sending, and closes the connection, which cuts that client off with EPIPE
 * before it reads the answer. So the rest of the body is read and dropped instead, up to
 * a bound, and the connection stays open: the client finishes sending and reads the 413.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RetakeError } from '../errors/index.ts';

/** Largest JSON body; generation requests are a few hundred bytes. */
export const JSON_BODY_LIMIT = 1024 * 1024;

/** A refused body is read to its end and dropped up to this size; past it the connection is cut. */
const DRAIN_LIMIT = 64 * 1024 * 1024;

/** Whether `err` is Fastify's refusal of a body past `bodyLimit`. */
export function isBodyTooLarge(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'FST_ERR_CTP_BODY_TOO_LARGE';
}

export function jsonBodyTooLarge(cause: unknown): RetakeError {
  return new RetakeError('payload_too_large', `The request body is larger than the ${JSON_BODY_LIMIT / 1024 / 1024} MiB (${JSON_BODY_LIMIT} bytes) a JSON request may be`, {
    cause,
    remedy: 'Send media by URL (input_video, input_image) or upload it first with POST /api/files; a JSON body carries only the parameters.',
  });
}

/**
 * Keep the connection of a refused body open while the rest of the body arrives and is
 * dropped, so the client reads the 413; a body past DRAIN_LIMIT is cut off.
 */
export function drainRefusedBody(request: FastifyRequest, reply: FastifyReply): void {
  const raw = request.raw;
  if (raw.complete) return;
  const declared = Number(raw.headers['content-length'] ?? 0);
  if (declared > DRAIN_LIMIT) return;
  reply.removeHeader('connection');
  let dropped = 0;
  raw.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DRAIN_LIMIT) raw.socket.destroy();
  });
  raw.resume();
}
