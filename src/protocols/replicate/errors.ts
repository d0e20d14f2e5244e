/**
 * Errors on the Replicate routes, in Replicate's problem-details shape: `{title,
 * detail, status}`, plus `invalid_fields` for validation errors as Replicate lists
 * them, and retake's stable code as `code`.
 */
import type { FastifyReply } from 'fastify';
import type { RetakeError } from '../../errors/index.ts';

export function replicateErrorBody(err: RetakeError): Record<string, unknown> {
  const body: Record<string, unknown> = { title: err.title, detail: err.detail, status: err.status, code: err.code };
  if (err.fields?.length) {
    body.invalid_fields = err.fields.map((f) => ({ type: 'invalid', field: f.field, description: f.message }));
  }
  return body;
}

export function sendReplicateError(reply: FastifyReply, err: RetakeError): FastifyReply {
  if (err.headers) reply.headers(err.headers);
  return reply.code(err.status).type('application/problem+json; charset=utf-8').send(replicateErrorBody(err));
}
