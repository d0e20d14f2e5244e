/**
 * Errors on the fal routes, in fal's shape: `{detail}` — for a validation error a list
 * of `{loc, msg, type}` as fal's validation errors are — plus retake's stable code as
 * `error_type`. fal's client turns these into its `ApiError` (`ValidationError` on a
 * 422) with the body attached.
 */
import type { FastifyReply } from 'fastify';
import type { RetakeError } from '../../errors/index.ts';
import { falProblems } from './endpoints.ts';

export function falErrorBody(err: RetakeError): Record<string, unknown> {
  const detail = err.fields?.length
    ? falProblems(err.fields).map((f) => ({ loc: ['body', ...(f.field ? [f.field] : [])], msg: f.message, type: err.code }))
    : err.detail.replace(/\b(input_video|input_image)\b/g, (n) => (n === 'input_video' ? 'video_url' : 'start_image_url'));
  return { detail, error_type: err.code };
}

export function sendFalError(reply: FastifyReply, err: RetakeError): FastifyReply {
  if (err.headers) reply.headers(err.headers);
  return reply.code(err.status).type('application/json; charset=utf-8').send(falErrorBody(err));
}
