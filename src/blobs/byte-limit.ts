/** A pass-through that fails a stream once it exceeds a byte limit: uploads are bounded while they stream. */
import { Transform } from 'node:stream';
import { RetakeError } from '../errors/index.ts';

/** Counts bytes (`bytes()`) and fails the pipeline with payload_too_large past `maxBytes`. */
export function byteLimit(maxBytes: number): Transform & { bytes(): number } {
  let total = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      total += chunk.length;
      if (total > maxBytes) {
        callback(new RetakeError('payload_too_large', `Upload is larger than the limit of ${maxBytes} bytes`));
        return;
      }
      callback(null, chunk);
    },
  });
  return Object.assign(limiter, { bytes: () => total });
}
