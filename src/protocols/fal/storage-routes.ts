/**
 * fal's storage upload protocol on `/fal/rest/storage` (fal's REST host): `POST
 * upload/initiate` names the file and answers a signed `upload_url` and the `file_url`
 * it will have; the bytes then arrive with a PUT to `upload_url`. Above 90 MB the
 * client uses `initiate-multipart`: parts are PUT to `<upload_url path>/<n>` (each
 * answers `{partNumber, etag}`) and `POST .../complete` joins them in order.
 *
 * A translation onto the upload service (http/uploads/): the signed URL stands for the
 * key that initiated the upload, so every PUT and the completion count against that
 * key's rate limit and upload cap (and stop when it is revoked); the type is read from
 * the bytes (at completion for parts); the limit holds over all the parts together.
 */
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { keyOf } from '../../http/route-config.ts';
import { isPartNumber, MAX_PARTS, UPLOAD_URL_TTL_MS } from '../../http/uploads/upload-parts.ts';
import { uploadsOf } from '../../http/uploads/upload-service.ts';
import { RetakeError } from '../../errors/index.ts';
import type { Retake } from '../../retake.ts';
import { signUpload, verifyUpload, type UploadGrant } from './upload-token.ts';

type UploadParams = { id: string };
type TokenQuery = { token?: string };

const grants = new WeakMap<FastifyRequest, UploadGrant>();

/** The upload routes that authenticate with the signed URL instead of a key. */
export function isSignedUploadRoute(request: FastifyRequest): boolean {
  return (request.routeOptions.url ?? '').startsWith('/fal/rest/storage/uploads/');
}

export async function registerStorageRoutes(scope: FastifyInstance, retake: Retake): Promise<void> {
  const secret = retake.serverSecret;
  const uploads = uploadsOf(scope);

  /** The signed URL in place of a key: the grant's key, still active, is the request's key. */
  const signed: onRequestAsyncHookHandler = async (request) => {
    const { id } = request.params as UploadParams;
    const grant = verifyUpload(secret, (request.query as TokenQuery).token, id);
    const key = await retake.store.keys.find(grant.keyId);
    if (!key || key.revoked_at !== null) throw new RetakeError('unauthorized', 'The key that started this upload is revoked');
    request.apiKey = key;
    grants.set(request, grant);
  };
  const grantOf = (request: FastifyRequest): UploadGrant => grants.get(request)!;

  function initiate(request: FastifyRequest): Record<string, string> {
    const key = keyOf(request);
    const body = (request.body ?? {}) as { file_name?: unknown };
    const target = uploads.target(typeof body.file_name === 'string' ? body.file_name : undefined);
    const grant: UploadGrant = { id: target.id, key: target.key, keyId: key.id, exp: Date.now() + UPLOAD_URL_TTL_MS };
    return {
      upload_url: `${retake.config.publicUrl}/fal/rest/storage/uploads/${target.id}?token=${signUpload(secret, grant)}`,
      file_url: retake.blobUrl(grant.key),
    };
  }
  const targetOf = (grant: UploadGrant) => ({ id: grant.id, key: grant.key, filename: grant.key.split('/').pop()! });

  scope.post('/rest/storage/upload/initiate', async (request) => initiate(request));
  scope.post('/rest/storage/upload/initiate-multipart', async (request) => initiate(request));

  scope.post<{ Params: UploadParams; Querystring: TokenQuery }>('/rest/storage/uploads/:id/complete', { onRequest: signed }, async (request) => {
    const grant = grantOf(request);
    const parts = (request.body as { parts?: { partNumber?: unknown }[] } | undefined)?.parts;
    const numbers = Array.isArray(parts) ? parts.map((p) => Number(p?.partNumber)) : [];
    if (numbers.length === 0 || numbers.length > MAX_PARTS || !numbers.every(isPartNumber)) {
      throw new RetakeError('validation_error', 'parts must list the uploaded part numbers', { fields: [{ field: 'parts', message: 'parts must list the uploaded part numbers' }] });
    }
    const release = uploads.hold(grant.keyId, request);
    try {
      const stored = await uploads.complete(grant.id, targetOf(grant), [...new Set(numbers)].sort((a, b) => a - b));
      return { file_url: retake.blobUrl(stored.key), size: stored.bytes };
    } finally {
      release();
    }
  });

  // The PUT routes take any body as a stream: no parser reads it into memory.
  await scope.register(async (raw) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', (_request, _payload, done) => done(null));

    raw.put<{ Params: UploadParams; Querystring: TokenQuery }>('/rest/storage/uploads/:id', { onRequest: signed }, async (request) => {
      const grant = grantOf(request);
      const release = uploads.hold(grant.keyId, request);
      try {
        const stored = await uploads.store(request.raw, targetOf(grant));
        return { file_url: retake.blobUrl(stored.key), size: stored.bytes };
      } finally {
        release();
      }
    });

    raw.put<{ Params: UploadParams & { part: string }; Querystring: TokenQuery }>('/rest/storage/uploads/:id/:part', { onRequest: signed }, async (request) => {
      const grant = grantOf(request);
      const n = Number(request.params.part);
      if (!isPartNumber(n)) throw new RetakeError('bad_request', `Part numbers are 1..${MAX_PARTS}`);
      const release = uploads.hold(grant.keyId, request);
      try {
        const { etag } = await uploads.parts.put(grant.id, n, request.raw);
        return { partNumber: n, etag };
      } finally {
        release();
      }
    });
  });
}
