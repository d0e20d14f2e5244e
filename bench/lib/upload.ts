/**
 * A multipart/form-data upload body of any size that is real media: a committed MP4
 * clip followed by one ISO BMFF `free` box (padding every MP4 reader skips) that takes
 * the file to the size asked for. It is generated as a stream from one reused chunk,
 * so the client never holds the file in memory, and the server's upload route, which
 * keeps only video and image containers, accepts it as the MP4 it is.
 */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';

export interface MultipartBody {
  body: Readable;
  contentType: string;
  contentLength: number;
}

/** A `free` box header for a box of `size` bytes in all (64-bit size past 4 GiB). */
function freeBoxHeader(size: number): Buffer {
  if (size < 2 ** 32) {
    const header = Buffer.alloc(8);
    header.writeUInt32BE(size, 0);
    header.write('free', 4, 'latin1');
    return header;
  }
  const header = Buffer.alloc(16);
  header.writeUInt32BE(1, 0);
  header.write('free', 4, 'latin1');
  header.writeBigUInt64BE(BigInt(size), 8);
  return header;
}

/** A body with one field `file`: the MP4 at `clipPath` padded to `bytes` bytes (1 MiB chunks). */
export function mediaUpload(bytes: number, clipPath: string, filename = 'bench.mp4'): MultipartBody {
  const clip = readFileSync(clipPath);
  const padding = bytes - clip.length;
  if (padding < 16) throw new Error(`an upload of ${bytes} bytes cannot hold ${clipPath} (${clip.length} bytes) and its padding`);
  const boxHeader = freeBoxHeader(padding);
  const boundary = `retakebench${Date.now().toString(36)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: video/mp4\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = Buffer.alloc(1024 * 1024);
  async function* generate(): AsyncGenerator<Buffer> {
    yield head;
    yield clip;
    yield boxHeader;
    let left = padding - boxHeader.length;
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
