/**
 * A multipart/form-data upload body of any size, generated as a stream from one
 * reused chunk, so the client never holds the file in memory.
 */
import { Readable } from 'node:stream';

export interface MultipartBody {
  body: Readable;
  contentType: string;
  contentLength: number;
}

/** A body with one field `file` of `bytes` zero bytes (1 MiB chunks). */
export function generatedUpload(bytes: number, filename = 'bench.bin'): MultipartBody {
  const boundary = `retakebench${Date.now().toString(36)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = Buffer.alloc(1024 * 1024);
  async function* generate(): AsyncGenerator<Buffer> {
    yield head;
    let left = bytes;
    while (left > 0) {
      const size = Math.min(left, chunk.length);
      yield size === chunk.length ? chunk : chunk.subarray(0, size);
      left -= size;
    }
    yield tail;
  }
  return {
    body: Readable.from(generate(), { objectMode: false }),
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength: head.length + bytes + tail.length,
  };
}
