/**
 * `POST /v1/files`: Replicate's upload (multipart `content`, optional `metadata` JSON).
 * The file is streamed into the blob store with the upload limit enforced while it
 * streams; `urls.get` is a URL that works as a model input (`input_video`, `input_image`).
 */
import { createHash, randomUUID } from 'node:crypto';
import { Transform } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { keyOf } from '../../http/route-config.ts';
import { sanitiseFilename } from '../../http/uploads/filename.ts';
import { inspectUpload } from '../../http/uploads/inspect-stream.ts';
import { multipartError } from '../../http/uploads/multipart-errors.ts';
import { RetakeError } from '../../errors/index.ts';
import type { Retake } from '../../retake.ts';

const MAX_METADATA_BYTES = 64 * 1024;

export function registerFileRoutes(scope: FastifyInstance, retake: Retake): void {
  scope.post('/files', async (request, reply) => {
    keyOf(request);
    if (!request.isMultipart()) throw new RetakeError('unsupported_media_type', 'Send the file as multipart/form-data (field "content")');
    let stored: Record<string, unknown> | undefined;
    let metadata: unknown = {};
    const limit = retake.config.maxUploadBytes;
    // Replicate's client sends `metadata` as a second file part.
    let storedKey: string | undefined;
    try {
      for await (const part of request.parts({ limits: { files: 2, fileSize: limit } })) {
        if (part.type === 'file' && part.fieldname === 'content' && !stored) {
          const id = randomUUID();
          const name = sanitiseFilename(part.filename);
          const key = `uploads/${id}/${name}`;
          storedKey = key;
          // The type comes from the bytes (video and image only), never the declared one.
          const inspected = await inspectUpload(part.file);
          const sha256 = createHash('sha256');
          const md5 = createHash('md5');
          const hashing = new Transform({
            transform(chunk: Buffer, _enc, done) {
              sha256.update(chunk);
              md5.update(chunk);
              done(null, chunk);
            },
          });
          inspected.stream.on('error', (err) => hashing.destroy(err));
          const info = await retake.blobs.putStream(inspected.stream.pipe(hashing), key, inspected.contentType, limit);
          if (part.file.truncated) {
            await retake.blobs.delete(key);
            throw new RetakeError('payload_too_large', `Upload is larger than the limit of ${limit} bytes`);
          }
          const md5hex = md5.digest('hex');
          stored = {
            id, name, content_type: info.contentType, size: info.bytes, etag: md5hex,
            checksums: { sha256: sha256.digest('hex'), md5: md5hex },
            created_at: new Date().toISOString(), expires_at: null,
            urls: { get: retake.blobUrl(key) },
          };
        } else if (part.type === 'file') {
          const chunks: Buffer[] = [];
          let size = 0;
          for await (const chunk of part.file as AsyncIterable<Buffer>) {
            size += chunk.length;
            if (size > MAX_METADATA_BYTES) throw new RetakeError('payload_too_large', 'metadata is too large');
            chunks.push(chunk);
          }
          if (part.fieldname === 'metadata') metadata = parseMetadata(Buffer.concat(chunks).toString('utf8'));
        } else if (part.fieldname === 'metadata') {
          metadata = parseMetadata(String(part.value));
        }
      }
    } catch (err) {
      // A malformed body (no boundary, a part cut short) is the client's error, not ours.
      if (storedKey) await retake.blobs.delete(storedKey);
      throw multipartError(err);
    }
    if (!stored) throw new RetakeError('validation_error', 'No file in the upload', { fields: [{ field: 'content', message: 'content is required' }] });
    request.sideEffect = true;
    return reply.code(201).send({ ...stored, metadata });
  });
}

function parseMetadata(text: string): unknown {
  try {
    return text.trim() === '' ? {} : (JSON.parse(text) as unknown);
  } catch {
    throw new RetakeError('validation_error', 'metadata must be JSON', { fields: [{ field: 'metadata', message: 'metadata must be JSON' }] });
  }
}
