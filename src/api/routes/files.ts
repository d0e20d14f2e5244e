/**
 * Uploads and file serving. `POST /api/files` streams one multipart file straight to
 * the blob store under a generated key, with the byte limit enforced while streaming
 * (nothing partial is kept). `GET|HEAD /files/*` serves uploads and outputs with HTTP
 * Range so players can seek; the key is checked against the generated-key shape so no
 * path ever comes from the request.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { RetakeError } from '../../errors/index.ts';
import type { Retake } from '../../retake.ts';
import { keyOf } from '../route-config.ts';
import { parseRange } from './range.ts';

/** Blob keys retake generates: `<kind>/<id>/<name>`. */
const SERVABLE_KEY = /^[a-z]+\/[A-Za-z0-9_-]+\/[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MIME = /^[a-z]+\/[a-z0-9.+-]+$/i;

/** A client file name reduced to safe characters (never used as a path on its own). */
export function sanitiseFilename(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._-]+/, '').replace(/\.{2,}/g, '.').slice(-100);
  return cleaned || 'upload';
}

const uploadDoc = {
  summary: 'Upload a video or image (multipart, field "file"); the URL works as input_video / input_image',
  tags: ['files'],
  bodyType: 'multipart/form-data',
  body: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
  responses: {
    201: {
      description: 'The stored file',
      schema: {
        type: 'object',
        properties: {
          id: { type: 'string' }, url: { type: 'string' }, filename: { type: 'string' },
          content_type: { type: 'string' }, bytes: { type: 'integer' },
        },
      },
    },
  },
};

export function registerFiles(app: FastifyInstance, retake: Retake): void {
  app.post('/api/files', { config: { doc: uploadDoc } }, async (request, reply) => {
    keyOf(request);
    if (!request.isMultipart()) throw new RetakeError('unsupported_media_type', 'Send the file as multipart/form-data');
    const file = await request.file();
    if (!file) throw new RetakeError('validation_error', 'No file in the upload', { fields: [{ field: 'file', message: 'file is required' }] });
    const id = randomUUID();
    const filename = sanitiseFilename(file.filename);
    const key = `uploads/${id}/${filename}`;
    const contentType = MIME.test(file.mimetype) ? file.mimetype.toLowerCase() : 'application/octet-stream';
    const limit = retake.config.maxUploadBytes;
    const info = await retake.blobs.putStream(file.file, key, contentType, limit);
    // The multipart parser stops at the limit too; a truncated stream is not a whole file.
    if (file.file.truncated) {
      await retake.blobs.delete(key);
      throw new RetakeError('payload_too_large', `Upload is larger than the limit of ${limit} bytes`);
    }
    request.sideEffect = true;
    return reply.code(201).send({ id, url: retake.blobUrl(key), filename, content_type: info.contentType, bytes: info.bytes });
  });

  app.route<{ Params: { '*': string } }>({
    method: ['GET', 'HEAD'],
    url: '/files/*',
    exposeHeadRoute: false,
    config: {
      doc: {
        summary: 'Download an upload or an output; supports Range (bytes=a-b, a-, -n)',
        tags: ['files'],
        responses: {
          200: { description: 'The whole file', contentType: 'application/octet-stream' },
          206: { description: 'The requested byte range', contentType: 'application/octet-stream' },
          302: { description: 'With RETAKE_S3_PRESIGN_S set: a short-lived presigned URL of the object store' },
        },
      },
    },
    handler: async (request, reply) => {
      const key = request.params['*'];
      const info = SERVABLE_KEY.test(key) && !key.includes('..') ? await retake.blobs.stat(key) : undefined;
      if (!info) throw new RetakeError('file_not_found', 'File not found');
      // Bytes straight from the bucket: the API host stays out of the download path.
      const presignS = retake.config.s3?.presignS ?? 0;
      if (presignS > 0 && retake.blobs.presign) {
        return reply.header('cache-control', 'private, no-store').redirect(await retake.blobs.presign(key, presignS), 302);
      }
      reply.header('accept-ranges', 'bytes').type(info.contentType).header('cache-control', 'private, max-age=3600');
      const range = parseRange(request.headers.range, info.bytes);
      if (range === 'unsatisfiable') {
        reply.header('content-range', `bytes */${info.bytes}`);
        throw new RetakeError('range_not_satisfiable', `The file has ${info.bytes} bytes`);
      }
      const span = range ?? { start: 0, end: info.bytes - 1 };
      const length = Math.max(0, span.end - span.start + 1);
      if (range) reply.code(206).header('content-range', `bytes ${span.start}-${span.end}/${info.bytes}`);
      reply.header('content-length', length);
      if (request.method === 'HEAD' || length === 0) return reply.send();
      return reply.send(retake.blobs.read(key, span));
    },
  });
}
