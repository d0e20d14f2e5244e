/**
 * `POST /v1/files`: Replicate's upload (multipart `content`, optional `metadata` JSON).
 * A translation onto the upload service (http/uploads/): the key's upload cap, the type
 * read from the bytes, the limit and an Idempotency-Key compared by content hold here
 * as on `/api/files`; `urls.get` is a URL that works as a model input (`input_video`,
 * `input_image`).
 */
import type { Multipart } from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { keyOf } from '../../http/route-config.ts';
import { uploadsOf } from '../../http/uploads/upload-service.ts';
import { RetakeError } from '../../errors/index.ts';
import type { Retake } from '../../retake.ts';

const MAX_METADATA_BYTES = 64 * 1024;

export function registerFileRoutes(scope: FastifyInstance, retake: Retake): void {
  const uploads = uploadsOf(scope);

  scope.post('/files', { config: { idempotency: 'content' } }, async (request, reply) => {
    const key = keyOf(request);
    if (!request.isMultipart()) throw new RetakeError('unsupported_media_type', 'Send the file as multipart/form-data (field "content")');
    let metadata: unknown = {};
    const release = uploads.hold(key.id, request);
    let stored;
    try {
      // Replicate's client sends `metadata` as a second file part; others as a field.
      stored = await uploads.receiveForm(request, {
        field: 'content',
        other: async (part) => {
          const text = await metadataText(part);
          if (part.fieldname === 'metadata') metadata = parseMetadata(text);
        },
      });
    } finally {
      release();
    }
    if (!(await uploads.claim(request, reply, stored))) return reply;
    request.sideEffect = true;
    return reply.code(201).send({
      id: stored.id, name: stored.filename, content_type: stored.contentType, size: stored.bytes, etag: stored.md5,
      checksums: { sha256: stored.sha256, md5: stored.md5 },
      created_at: new Date().toISOString(), expires_at: null,
      urls: { get: retake.blobUrl(stored.key) },
      metadata,
    });
  });
}

/** The text of a form part other than the file, bounded. */
async function metadataText(part: Multipart): Promise<string> {
  if (part.type !== 'file') return String(part.value);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of part.file as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_METADATA_BYTES) throw new RetakeError('payload_too_large', 'metadata is too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseMetadata(text: string): unknown {
  try {
    return text.trim() === '' ? {} : (JSON.parse(text) as unknown);
  } catch {
    throw new RetakeError('validation_error', 'metadata must be JSON', { fields: [{ field: 'metadata', message: 'metadata must be JSON' }] });
  }
}
