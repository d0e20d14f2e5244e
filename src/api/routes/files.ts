/**
 * Uploads and file serving. `POST /api/files` streams one multipart file straight to
 * the blob store under a generated key: its type is decided from its bytes (video and
 * image only, 415 otherwise), the byte limit is enforced while streaming (nothing
 * partial is kept), and one key streams only a few uploads at once. `GET|HEAD /files/*`
 * serves uploads and outputs with HTTP Range so players can seek; the key is checked
 * against the generated-key shape so no path ever comes from the request, and every
 * answer carries headers that stop a browser from running anything it serves.
 */
import { randomUUID } from 'node:crypto';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RetakeError } from '../../errors/index.ts';
import type { Retake } from '../../retake.ts';
import { claimByContent } from '../../http/idempotency.ts';
import { keyOf } from '../../http/route-config.ts';
import { inspectUpload } from '../../http/uploads/inspect-stream.ts';
import { isInlineSafe } from '../../media/index.ts';
import { closingBoundaryWatch, multipartError } from '../../http/uploads/multipart-errors.ts';
import { sanitiseFilename } from '../../http/uploads/filename.ts';
import { createUploadSlots } from '../../http/uploads/upload-slots.ts';
import { parseRange } from '../byte-range.ts';

/** Blob keys retake generates: `<kind>/<id>/<name>`. */
const SERVABLE_KEY = /^[a-z]+\/[A-Za-z0-9_-]+\/[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Served files are media for `<video>`/`<img>` or downloads, never pages: even if a
 * browser were talked into rendering one as a document, it gets no script, no requests
 * and a sandboxed origin (so no access to the Workbench's stored key).
 */
const FILE_CSP = "default-src 'none'; media-src 'self'; img-src 'self'; sandbox";

const uploadDoc = {
  summary: 'Upload a video or image (multipart, one file in field "file"); the URL works as input_video / input_image',
  tags: ['files'],
  bodyType: 'multipart/form-data',
  body: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
  responses: {
    201: {
      description: 'The stored file (content_type is what its bytes are, not what the client declared)',
      schema: {
        type: 'object',
        required: ['id', 'url', 'filename', 'content_type', 'bytes'],
        properties: {
          id: { type: 'string' }, url: { type: 'string' }, filename: { type: 'string' },
          content_type: { type: 'string' }, bytes: { type: 'integer' },
        },
      },
    },
  },
};

interface StoredUpload {
  id: string;
  key: string;
  filename: string;
  contentType: string;
  bytes: number;
  sha256: string;
}

async function storePart(retake: Retake, part: MultipartFile): Promise<StoredUpload> {
  const inspected = await inspectUpload(part.file);
  const id = randomUUID();
  const filename = sanitiseFilename(part.filename);
  const key = `uploads/${id}/${filename}`;
  const limit = retake.config.maxUploadBytes;
  const info = await retake.blobs.putStream(inspected.stream, key, inspected.contentType, limit);
  // The multipart parser stops at the limit too; a truncated stream is not a whole file.
  if (part.file.truncated) {
    await retake.blobs.delete(key);
    throw new RetakeError('payload_too_large', `Upload is larger than the limit of ${limit} bytes`);
  }
  const { sha256 } = inspected.digest();
  return { id, key, filename, contentType: info.contentType, bytes: info.bytes, sha256 };
}

/** Read the multipart body: exactly one file, in the field `file`, stored. */
async function receiveUpload(retake: Retake, request: FastifyRequest): Promise<StoredUpload> {
  let stored: StoredUpload | undefined;
  const wasClosed = closingBoundaryWatch(request.raw, request.headers['content-type']);
  try {
    for await (const part of request.parts()) {
      if (part.type !== 'file') continue;
      if (part.fieldname !== 'file' || stored) {
        part.file.resume();
        throw new RetakeError('bad_request', 'Send exactly one file per upload, in the field "file"', {
          fields: [{ field: 'file', message: `exactly one file is expected in "file" (got one in "${part.fieldname.slice(0, 40)}")` }],
        });
      }
      stored = await storePart(retake, part);
    }
  } catch (err) {
    if (stored) await retake.blobs.delete(stored.key);
    throw multipartError(err);
  }
  if (!stored && !wasClosed()) throw new RetakeError('bad_request', 'Malformed multipart body: it ends before its closing boundary');
  if (!stored) throw new RetakeError('validation_error', 'No file in the upload', { fields: [{ field: 'file', message: 'file is required' }] });
  return stored;
}

export function registerFiles(app: FastifyInstance, retake: Retake): void {
  const slots = createUploadSlots(retake.config.maxUploadsPerKey);

  app.post('/api/files', { config: { doc: uploadDoc, idempotency: 'content' } }, async (request, reply): Promise<FastifyReply> => {
    const apiKey = keyOf(request);
    if (!request.isMultipart()) throw new RetakeError('unsupported_media_type', 'Send the file as multipart/form-data');
    const release = slots.take(apiKey.id);
    let stored: StoredUpload;
    try {
      stored = await receiveUpload(retake, request);
    } finally {
      release();
    }
    let runs = false;
    try {
      runs = await claimByContent(request, reply, stored.sha256);
    } finally {
      // A replay or a conflict answers with the first upload: this copy is not needed.
      if (!runs) await retake.blobs.delete(stored.key);
    }
    if (!runs) return reply;
    request.sideEffect = true;
    return reply.code(201).send({
      id: stored.id, url: retake.blobUrl(stored.key), filename: stored.filename, content_type: stored.contentType, bytes: stored.bytes,
    });
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
          302: { description: 'With RETAKE_S3_PRESIGN_S set, for video and images: a short-lived presigned URL of the object store' },
        },
      },
    },
    handler: async (request, reply) => {
      const key = request.params['*'];
      const info = SERVABLE_KEY.test(key) && !key.includes('..') ? await retake.blobs.stat(key) : undefined;
      if (!info) throw new RetakeError('file_not_found', 'File not found');
      const inline = isInlineSafe(info.contentType);
      // Anything but video and raster images (zip sidecars, files stored before types
      // were sniffed) is a download, never a page on this origin.
      const disposition = inline ? undefined : `attachment; filename="${key.split('/').pop() ?? 'file'}"`;
      // Bytes straight from the bucket: the API host stays out of the download path. Only
      // for video and images: S3 cannot send nosniff or a CSP, so whatever needs them
      // is streamed through retake. The URL still pins the type and disposition.
      const presignS = retake.config.s3?.presignS ?? 0;
      if (presignS > 0 && retake.blobs.presign && inline) {
        const location = await retake.blobs.presign(key, presignS, { contentType: info.contentType, contentDisposition: disposition });
        return reply.header('cache-control', 'private, no-store').redirect(location, 302);
      }
      reply.header('accept-ranges', 'bytes').type(info.contentType).header('cache-control', 'private, max-age=3600')
        .header('x-content-type-options', 'nosniff').header('content-security-policy', FILE_CSP);
      if (disposition) reply.header('content-disposition', disposition);
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
