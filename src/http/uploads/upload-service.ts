/**
 * The one upload service behind every door that takes files: the hub's `POST
 * /api/files`, Replicate's `POST /v1/files` and fal's storage (single PUT, multipart
 * parts and completion). Each door only translates its protocol; the rules live here:
 * one key streams only a few uploads at once (429 past the cap, on every door), the
 * type is decided from the bytes (video and image only, 415 otherwise), the byte limit
 * holds while streaming and over all the parts of one upload, an Idempotency-Key is
 * compared by the sha256 of the content, and parts are never served and are swept
 * once their upload URL has expired. The body stall timer (`body-stall.ts`) covers
 * every door, since it is installed on the server itself.
 */
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { MultipartFile, Multipart } from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { BlobStore } from '../../blobs/index.ts';
import { RetakeError } from '../../errors/index.ts';
import { claimByContent } from '../idempotency.ts';
import { sanitiseFilename } from './filename.ts';
import { inspectUpload } from './inspect-stream.ts';
import { closingBoundaryWatch, multipartError } from './multipart-errors.ts';
import { createUploadParts, type UploadParts } from './upload-parts.ts';
import { createUploadSlots } from './upload-slots.ts';

/** Where a new upload will be stored. */
export interface UploadTarget {
  id: string;
  /** Blob key, `uploads/<id>/<name>`. */
  key: string;
  filename: string;
}

/** A file stored by the service. */
export interface StoredUpload extends UploadTarget {
  /** What the bytes are (never the client's declared type). */
  contentType: string;
  bytes: number;
  sha256: string;
  md5: string;
}

/** One multipart form read by {@link UploadService.receiveForm}. */
export interface FormOptions {
  /** The field that holds the file. */
  field: string;
  /** Any other part of the form (a metadata field or file); throw to refuse it. */
  other?: (part: Multipart) => Promise<void>;
}

export interface UploadService {
  /** Limit of one upload in bytes (all its parts together). */
  readonly maxBytes: number;
  /** Multipart parts of fal's storage protocol. */
  readonly parts: UploadParts;
  /**
   * Take one of `keyId`'s upload slots (429 `rate_limited` past the cap); the returned
   * function frees it, and so does the end of `request` (whatever way it ends).
   */
  hold(keyId: string, request: FastifyRequest): () => void;
  /** A fresh target for a file named `filename` by the client. */
  target(filename: string | undefined): UploadTarget;
  /** Stream one whole file into the store under `target`. */
  store(source: Readable, target: UploadTarget): Promise<StoredUpload>;
  /** Join the stored parts `numbers` of `uploadId` into one file under `target` (typed from its bytes), then drop the parts. */
  complete(uploadId: string, target: UploadTarget, numbers: readonly number[]): Promise<StoredUpload>;
  /** Read a multipart form holding exactly one file in `field` and store that file. */
  receiveForm(request: FastifyRequest, options: FormOptions): Promise<StoredUpload>;
  /**
   * Claim the request's Idempotency-Key with the content's hash: true when the handler
   * answers; false when the first answer was replayed (this copy is removed). A key
   * used with other content throws 409 `idempotency_conflict` (this copy is removed).
   */
  claim(request: FastifyRequest, reply: FastifyReply, stored: StoredUpload): Promise<boolean>;
}

export interface UploadServiceOptions {
  blobs: BlobStore;
  /** Largest upload in bytes (RETAKE_MAX_UPLOAD_BYTES). */
  maxBytes: number;
  /** Uploads one key streams at once (RETAKE_MAX_UPLOADS_PER_KEY). */
  maxPerKey: number;
}

export function createUploadService(options: UploadServiceOptions): UploadService {
  const { blobs, maxBytes } = options;
  const slots = createUploadSlots(options.maxPerKey);
  const tooLarge = (): RetakeError => new RetakeError('payload_too_large', `Upload is larger than the limit of ${maxBytes} bytes`);

  const service: UploadService = {
    maxBytes,
    parts: createUploadParts({ blobs, maxBytes }),

    hold(keyId, request) {
      const release = slots.take(keyId);
      request.raw.once('close', release);
      return release;
    },

    target(filename) {
      const id = randomUUID();
      const name = sanitiseFilename(filename);
      return { id, key: `uploads/${id}/${name}`, filename: name };
    },

    async store(source, target) {
      const inspected = await inspectUpload(source);
      const info = await blobs.putStream(inspected.stream, target.key, inspected.contentType, maxBytes);
      const { sha256, md5 } = inspected.digest();
      return { ...target, contentType: info.contentType, bytes: info.bytes, sha256, md5 };
    },

    async complete(uploadId, target, numbers) {
      const stored = await service.store(await service.parts.joined(uploadId, numbers), target);
      await service.parts.remove(uploadId);
      return stored;
    },

    async receiveForm(request, form) {
      let stored: StoredUpload | undefined;
      const wasClosed = closingBoundaryWatch(request.raw, request.headers['content-type']);
      try {
        for await (const part of request.parts({ limits: { files: form.other ? 2 : 1, fileSize: maxBytes } })) {
          const field = typeof part.fieldname === 'string' ? part.fieldname : '';
          if (part.type === 'file' && field === form.field && !stored) stored = await storeFormFile(part);
          else if (part.type === 'file' && (field === form.field || !form.other)) throw onlyOneFile(part, form.field, field);
          else if (form.other) await form.other(part);
        }
      } catch (err) {
        if (stored) await blobs.delete(stored.key);
        throw multipartError(err);
      }
      if (!stored && !wasClosed()) throw new RetakeError('bad_request', 'Malformed multipart body: it ends before its closing boundary');
      if (!stored) throw new RetakeError('validation_error', 'No file in the upload', { fields: [{ field: form.field, message: `${form.field} is required` }] });
      return stored;
    },

    async claim(request, reply, stored) {
      let runs = false;
      try {
        runs = await claimByContent(request, reply, stored.sha256);
      } finally {
        // A replay or a conflict answers with the first upload: this copy is not needed.
        if (!runs) await blobs.delete(stored.key);
      }
      return runs;
    },
  };

  async function storeFormFile(part: MultipartFile): Promise<StoredUpload> {
    const stored = await service.store(part.file, service.target(part.filename));
    // The multipart parser stops at the limit too; a truncated stream is not a whole file.
    if (part.file.truncated) {
      await blobs.delete(stored.key);
      throw tooLarge();
    }
    return stored;
  }

  return service;
}

function onlyOneFile(part: MultipartFile, want: string, got: string): RetakeError {
  part.file.resume();
  return new RetakeError('bad_request', `Send exactly one file per upload, in the field "${want}"`, {
    fields: [{ field: want, message: `exactly one file is expected in "${want}" (got one in "${got.slice(0, 40)}")` }],
  });
}

const SERVICE = Symbol('retake.uploads');

declare module 'fastify' {
  interface FastifyInstance {
    [SERVICE]: UploadService;
  }
}

/** Make `service` the server's upload service (once, on the root instance). */
export function installUploads(app: FastifyInstance, service: UploadService): void {
  app.decorate(SERVICE, service);
}

/** The upload service of the server `app` belongs to. */
export function uploadsOf(app: FastifyInstance): UploadService {
  return app[SERVICE];
}
