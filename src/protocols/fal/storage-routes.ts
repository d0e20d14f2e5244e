/**
 * fal's storage upload protocol on `/fal/rest/storage` (fal's REST host): `POST
 * upload/initiate` names the file and answers a signed `upload_url` and the `file_url`
 * it will have; the bytes then arrive with a PUT to `upload_url`. Above 90 MB the
 * client uses `initiate-multipart`: parts are PUT to `<upload_url path>/<n>` (each
 * answers `{partNumber, etag}`) and `POST .../complete` joins them in order. Files land
 * in the blob store like any upload, so `file_url` works as `video_url` or
 * `start_image_url`; the type is read from the bytes (video and image only, whatever
 * was declared) and the upload limit holds for every part and for the whole.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { keyOf } from '../../http/route-config.ts';
import { sanitiseFilename } from '../../http/uploads/filename.ts';
import { inspectUpload } from '../../http/uploads/inspect-stream.ts';
import { RetakeError } from '../../errors/index.ts';
import type { Retake } from '../../retake.ts';
import { signUpload, verifyUpload, type UploadGrant } from './upload-token.ts';

/** How long an upload URL stays valid. */
const UPLOAD_TTL_MS = 60 * 60 * 1000;
const MAX_PARTS = 10_000;

type UploadParams = { id: string };
type TokenQuery = { token?: string };

const partKey = (id: string, n: number) => `parts/${id}/part-${n}`;

/** The upload routes that authenticate with the signed URL instead of a key. */
export function isSignedUploadRoute(request: FastifyRequest): boolean {
  return (request.routeOptions.url ?? '').startsWith('/fal/rest/storage/uploads/');
}

export async function registerStorageRoutes(scope: FastifyInstance, retake: Retake): Promise<void> {
  const secret = retake.serverSecret;
  const limit = retake.config.maxUploadBytes;

  function initiate(request: FastifyRequest): Record<string, string> {
    const key = keyOf(request);
    const body = (request.body ?? {}) as { file_name?: unknown };
    const id = randomUUID();
    const grant: UploadGrant = {
      id, key: `uploads/${id}/${sanitiseFilename(typeof body.file_name === 'string' ? body.file_name : undefined)}`,
      keyId: key.id, exp: Date.now() + UPLOAD_TTL_MS,
    };
    return {
      upload_url: `${retake.config.publicUrl}/fal/rest/storage/uploads/${id}?token=${signUpload(secret, grant)}`,
      file_url: retake.blobUrl(grant.key),
    };
  }

  scope.post('/rest/storage/upload/initiate', async (request) => initiate(request));
  scope.post('/rest/storage/upload/initiate-multipart', async (request) => initiate(request));

  scope.post<{ Params: UploadParams; Querystring: TokenQuery }>('/rest/storage/uploads/:id/complete', async (request) => {
    const grant = verifyUpload(secret, request.query.token, request.params.id);
    const parts = (request.body as { parts?: { partNumber?: unknown }[] } | undefined)?.parts;
    const numbers = Array.isArray(parts) ? parts.map((p) => Number(p.partNumber)) : [];
    if (numbers.length === 0 || numbers.length > MAX_PARTS || numbers.some((n) => !Number.isInteger(n) || n < 1 || n > MAX_PARTS)) {
      throw new RetakeError('validation_error', 'parts must list the uploaded part numbers', { fields: [{ field: 'parts', message: 'parts must list the uploaded part numbers' }] });
    }
    const ordered = [...new Set(numbers)].sort((a, b) => a - b);
    for (const n of ordered) {
      if (!(await retake.blobs.stat(partKey(grant.id, n)))) throw new RetakeError('validation_error', `part ${n} was not uploaded`, { fields: [{ field: 'parts', message: `part ${n} was not uploaded` }] });
    }
    const blobs = retake.blobs;
    async function* joined() {
      for (const n of ordered) yield* blobs.read(partKey(grant.id, n)) as AsyncIterable<Buffer>;
    }
    // The type comes from the bytes (video and image only), as for every upload.
    const inspected = await inspectUpload(Readable.from(joined()));
    const info = await blobs.putStream(inspected.stream, grant.key, inspected.contentType, limit);
    await Promise.all(ordered.map((n) => blobs.delete(partKey(grant.id, n))));
    return { file_url: retake.blobUrl(grant.key), size: info.bytes };
  });

  // The PUT routes take any body as a stream: no parser reads it into memory.
  await scope.register(async (raw) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', (_request, _payload, done) => done(null));

    raw.put<{ Params: UploadParams; Querystring: TokenQuery }>('/rest/storage/uploads/:id', async (request) => {
      const grant = verifyUpload(secret, request.query.token, request.params.id);
      const inspected = await inspectUpload(request.raw);
      const info = await retake.blobs.putStream(inspected.stream, grant.key, inspected.contentType, limit);
      return { file_url: retake.blobUrl(grant.key), size: info.bytes };
    });

    raw.put<{ Params: UploadParams & { part: string }; Querystring: TokenQuery }>('/rest/storage/uploads/:id/:part', async (request) => {
      const grant = verifyUpload(secret, request.query.token, request.params.id);
      const n = Number(request.params.part);
      if (!Number.isInteger(n) || n < 1 || n > MAX_PARTS) throw new RetakeError('bad_request', `Part numbers are 1..${MAX_PARTS}`);
      const md5 = createHash('md5');
      const hashing = new Transform({ transform(chunk: Buffer, _enc, done) { md5.update(chunk); done(null, chunk); } });
      request.raw.on('error', (err) => hashing.destroy(err));
      await retake.blobs.putStream(request.raw.pipe(hashing), partKey(grant.id, n), 'application/octet-stream', limit);
      return { partNumber: n, etag: md5.digest('hex') };
    });
  });
}
