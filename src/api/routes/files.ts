/**
 * Uploads and file serving. `POST /api/files` hands one multipart file to the upload
 * service (http/uploads/), which streams it to the blob store under a generated key:
 * its type is decided from its bytes (video and image only, 415 otherwise), the byte
 * limit is enforced while streaming (nothing partial is kept), and one key streams
 * only a few uploads at once. `GET|HEAD /files/*`
 * serves uploads and outputs with HTTP Range so players can seek; the key is checked
 * against the generated-key shape so no path ever comes from the request, and every
 * answer carries headers that stop a browser from running anything it serves.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { RetakeError } from '../../errors/index.ts';
import type { Retake } from '../../retake.ts';
import { keyOf } from '../../http/route-config.ts';
import { uploadsOf } from '../../http/uploads/upload-service.ts';
import { isInlineSafe } from '../../media/index.ts';
import { parseRange } from '../byte-range.ts';

/**
 * Blob keys served here: finished uploads and outputs (`<kind>/<id>/<name>`). Parts of
 * an upload still in progress (`parts/`) are never served: they are not typed yet.
 */
const SERVABLE_KEY = /^(?:uploads|outputs)\/[A-Za-z0-9_-]+\/[A-Za-z0-9][A-Za-z0-9._-]*$/;

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

export function registerFiles(app: FastifyInstance, retake: Retake): void {
  const uploads = uploadsOf(app);

  app.post('/api/files', { config: { doc: uploadDoc, idempotency: 'content' } }, async (request, reply): Promise<FastifyReply> => {
    const apiKey = keyOf(request);
    if (!request.isMultipart()) throw new RetakeError('unsupported_media_type', 'Send the file as multipart/form-data');
    const release = uploads.hold(apiKey.id, request);
    let stored;
    try {
      stored = await uploads.receiveForm(request, { field: 'file' });
    } finally {
      release();
    }
    if (!(await uploads.claim(request, reply, stored))) return reply;
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
