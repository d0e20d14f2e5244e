/**
 * Reads an upload's first bytes before anything is stored, so its type is decided from
 * its content (nothing that is not a video or an image is written anywhere), then hands
 * on a stream of the whole content that hashes and counts it as it passes (so an
 * Idempotency-Key retry is compared by its bytes, not by its size). Backpressure is
 * kept: the rest of the upload is read only as fast as the blob store writes it.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { RetakeError } from '../../errors/index.ts';
import { SNIFF_BYTES, sniffMediaType } from '../../media/index.ts';

export interface InspectedUpload {
  /** The type found in the bytes. */
  contentType: string;
  /** The whole content, head included; read it once. */
  stream: Readable;
  /** sha256 hex and size of the content; complete once `stream` has ended. */
  digest(): { sha256: string; bytes: number };
}

/**
 * Read the head of `source` and judge it. Throws 422 `validation_error` for an empty
 * file and 415 `unsupported_media_type` for anything that is not a video or an image.
 */
export async function inspectUpload(source: Readable): Promise<InspectedUpload> {
  const chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head: Buffer[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < SNIFF_BYTES) {
    const next = await chunks.next();
    if (next.done) {
      ended = true;
      break;
    }
    head.push(next.value);
    headBytes += next.value.length;
  }
  const first = Buffer.concat(head);
  if (first.length === 0) {
    throw new RetakeError('validation_error', 'The file is empty', { fields: [{ field: 'file', message: 'file is empty' }] });
  }
  const contentType = sniffMediaType(first.subarray(0, SNIFF_BYTES));
  if (!contentType) {
    await chunks.return?.();
    throw new RetakeError('unsupported_media_type', 'Only video and image files can be uploaded; this content is neither');
  }

  const hash = createHash('sha256');
  let bytes = 0;
  const pass = (chunk: Buffer): Buffer => {
    hash.update(chunk);
    bytes += chunk.length;
    return chunk;
  };
  async function* whole(): AsyncGenerator<Buffer> {
    try {
      yield pass(first);
      if (ended) return;
      for (;;) {
        const next = await chunks.next();
        if (next.done) return;
        yield pass(next.value);
      }
    } finally {
      // Stopped early (limit, error): let the source go too.
      await chunks.return?.();
    }
  }
  let sha256: string | undefined;
  return {
    contentType,
    stream: Readable.from(whole(), { objectMode: false }),
    digest: () => ({ sha256: (sha256 ??= hash.digest('hex')), bytes }),
  };
}
