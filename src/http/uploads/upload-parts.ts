/**
 * The parts of a multipart upload (fal's `initiate-multipart`): each part is stored as
 * `parts/<upload id>/part-<n>` until the upload is completed, when they are joined in
 * order into the one file. Parts are never served (`/files/` serves only uploads and
 * outputs); the limit of one upload holds over all its parts together, so a signed URL
 * cannot be used to fill the disk part by part; and parts of an upload nobody completed
 * are swept once its upload URL has expired.
 */
import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import type { BlobStore } from '../../blobs/index.ts';
import { RetakeError } from '../../errors/index.ts';

/** How long a signed upload URL works; parts untouched for longer belong to no live upload. */
export const UPLOAD_URL_TTL_MS = 60 * 60 * 1000;
/** Most parts in one upload (fal's client splits at 10 MB; this allows 100 GB-ish). */
export const MAX_PARTS = 10_000;

export interface UploadParts {
  /** Store part `n` of `uploadId` (replacing an earlier try); its etag is the md5 of its bytes. */
  put(uploadId: string, n: number, source: Readable): Promise<{ etag: string; bytes: number }>;
  /** The stored parts `numbers`, joined in order (422 for a part that was never uploaded). */
  joined(uploadId: string, numbers: readonly number[]): Promise<Readable>;
  /** Remove every part of `uploadId`. */
  remove(uploadId: string): Promise<void>;
  /**
   * Remove the parts of uploads whose newest part is older than {@link UPLOAD_URL_TTL_MS}
   * at `now` (their URL has expired, so nobody can complete them); returns how many uploads went.
   */
  sweep(now?: number): Promise<number>;
}

const partKey = (uploadId: string, n: number): string => `parts/${uploadId}/part-${n}`;
const partsOf = (uploadId: string): string => `parts/${uploadId}/`;

/** Whether `n` is a part number the protocol allows. */
export function isPartNumber(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= MAX_PARTS;
}

export function createUploadParts(options: { blobs: BlobStore; maxBytes: number }): UploadParts {
  const { blobs, maxBytes } = options;
  const tooLarge = (): RetakeError => new RetakeError('payload_too_large', `The parts of this upload are larger than the limit of ${maxBytes} bytes`);

  return {
    async put(uploadId, n, source) {
      const key = partKey(uploadId, n);
      const others = (await blobs.list(partsOf(uploadId))).filter((part) => part.key !== key);
      const left = maxBytes - others.reduce((sum, part) => sum + part.bytes, 0);
      if (left <= 0) throw tooLarge();
      const md5 = createHash('md5');
      const hashing = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          md5.update(chunk);
          done(null, chunk);
        },
      });
      source.on('error', (err) => hashing.destroy(err));
      try {
        const info = await blobs.putStream(source.pipe(hashing), key, 'application/octet-stream', left);
        return { etag: md5.digest('hex'), bytes: info.bytes };
      } catch (err) {
        throw err instanceof RetakeError && err.code === 'payload_too_large' ? tooLarge() : err;
      }
    },

    async joined(uploadId, numbers) {
      for (const n of numbers) {
        if (!(await blobs.stat(partKey(uploadId, n)))) {
          throw new RetakeError('validation_error', `part ${n} was not uploaded`, { fields: [{ field: 'parts', message: `part ${n} was not uploaded` }] });
        }
      }
      async function* bytes(): AsyncGenerator<Buffer> {
        for (const n of numbers) yield* blobs.read(partKey(uploadId, n)) as AsyncIterable<Buffer>;
      }
      return Readable.from(bytes(), { objectMode: false });
    },

    async remove(uploadId) {
      await Promise.all((await blobs.list(partsOf(uploadId))).map((part) => blobs.delete(part.key)));
    },

    async sweep(now = Date.now()) {
      const newest = new Map<string, number>();
      const listed = await blobs.list('parts/');
      for (const part of listed) {
        const id = part.key.split('/')[1]!;
        newest.set(id, Math.max(newest.get(id) ?? 0, part.modifiedMs));
      }
      const stale = new Set([...newest].filter(([, at]) => now - at > UPLOAD_URL_TTL_MS).map(([id]) => id));
      await Promise.all(listed.filter((part) => stale.has(part.key.split('/')[1]!)).map((part) => blobs.delete(part.key)));
      return stale.size;
    },
  };
}
