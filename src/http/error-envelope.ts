/**
 * The one error shape of the API: `{error: {type, title, detail, fields?}, status:
 * "error", status_message}`. RetakeErrors map through the catalogue; Fastify's own
 * errors (bad JSON, body too large, wrong content type, schema failures) map to their
 * catalogue codes; anything else becomes `internal_error`, logged with its cause and
 * never sent to the client with a stack or a path.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERRORS, RetakeError, type ErrorCode, type FieldProblem } from '../errors/index.ts';
import { drainRefusedBody, isBodyTooLarge, jsonBodyTooLarge } from './json-body-limit.ts';
import { recordFailure } from './request-log.ts';

/** The JSON body of an error answer. */
export function envelope(err: RetakeError): Record<string, unknown> {
  const error: Record<string, unknown> = { type: err.code, title: err.title, detail: err.detail };
  if (err.fields && err.fields.length > 0) error.fields = err.fields;
  return { error, status: 'error', status_message: err.code };
}

/** Send `err` as the envelope with its status and headers. */
export function sendError(reply: FastifyReply, err: RetakeError): FastifyReply {
  if (err.headers) reply.headers(err.headers);
  return reply.code(err.status).type('application/json; charset=utf-8').send(envelope(err));
}

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'bad_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'bad_request',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'unsupported_media_type',
  FST_REQ_FILE_TOO_LARGE: 'payload_too_large',
  FST_FILES_LIMIT: 'payload_too_large',
  FST_PARTS_LIMIT: 'payload_too_large',
  FST_FIELDS_LIMIT: 'payload_too_large',
  FST_PROTO_VIOLATION: 'bad_request',
  // A multipart field sent as application/json that is not JSON (@fastify/multipart says 406).
  FST_INVALID_JSON_FIELD_ERROR: 'bad_request',
};

const BY_STATUS: Record<number, ErrorCode> = {
  400: 'bad_request',
  404: 'route_not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/** Field problems from a Fastify schema failure (querystring, params, body). */
function schemaProblems(err: FastifyError): FieldProblem[] {
  return (err.validation ?? []).map((v) => {
    const missing = (v.params as { missingProperty?: unknown }).missingProperty;
    const field = typeof missing === 'string' ? missing : v.instancePath.replace(/^\//, '').split('/')[0] ?? '';
    return { field, message: `${field || err.validationContext || 'request'} ${v.message ?? 'is invalid'}` };
  });
}

/** Map anything thrown in a request to a RetakeError the client may see. */
export function toApiError(err: unknown): RetakeError {
  if (err instanceof RetakeError) return err;
  if (isBodyTooLarge(err)) return jsonBodyTooLarge(err);
  const e = (err ?? {}) as Partial<FastifyError>;
  if (Array.isArray(e.validation)) {
    const fields = schemaProblems(e as FastifyError);
    return new RetakeError('validation_error', fields.map((f) => f.message).join('; '), { cause: err, fields });
  }
  const code = (typeof e.code === 'string' ? FASTIFY_CODES[e.code] : undefined) ?? (e.statusCode ? BY_STATUS[e.statusCode] : undefined);
  if (code) {
    // Fastify's own messages are client-safe (they describe the request, not the server).
    const detail = code === 'bad_request' && e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? 'Body is not valid JSON' : e.message;
    return new RetakeError(code, detail || ERRORS[code].title, { cause: err });
  }
  if (err instanceof SyntaxError && (e.statusCode === 400 || /JSON/.test(err.message))) {
    return new RetakeError('bad_request', 'Body is not valid JSON', { cause: err });
  }
  return new RetakeError('internal_error', undefined, { cause: err });
}

/**
 * Fastify's `frameworkErrors`: what it refuses before any route or hook runs (a
 * malformed percent-escape like `%FF`, a path parameter over its length limit) leaves
 * in the envelope too, not in Fastify's own shape.
 */
export function answerFrameworkError(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const apiErr = err.code === 'FST_ERR_BAD_URL'
    ? new RetakeError('bad_request', 'The path holds a malformed percent-escape', { cause: err })
    : err.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new RetakeError('bad_request', 'A path segment is too long', { cause: err })
      : toApiError(err);
  recordFailure(request, apiErr);
  void sendError(reply, apiErr);
}

/**
 * The error handler of an instance or a protocol's scope: anything thrown becomes a
 * RetakeError, is logged with the request, and is answered by `send` (the root's
 * envelope, or a protocol's own error shape). A JSON body past its limit is drained
 * first, so the client reads the 413.
 */
export function errorHandler(send: (reply: FastifyReply, err: RetakeError) => FastifyReply) {
  return (err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (isBodyTooLarge(err)) drainRefusedBody(request, reply);
    const apiErr = toApiError(err);
    recordFailure(request, apiErr);
    return send(reply, apiErr);
  };
}

/** Install the error and not-found handlers on the root instance. */
export function installErrorEnvelope(app: FastifyInstance): void {
  app.setErrorHandler(errorHandler(sendError));
  app.setNotFoundHandler((request, reply) => {
    const notFound = new RetakeError('route_not_found', `No route for ${request.method} ${(request.url.split('?')[0] ?? '').slice(0, 200)}`);
    recordFailure(request, notFound);
    return sendError(reply, notFound);
  });
}
