/**
 * Resolves a request's input URL to a local file for an engine: retake's own upload
 * URLs map to the stored blob (no HTTP round trip through the guard), anything else is
 * fetched through the URL guard into the job's work directory.
 */
import { join } from 'node:path';
import { RetakeError } from '../errors/index.ts';
import { fetchToFile, ownBlobKey } from '../net/index.ts';
import type { BlobStore } from '../blobs/types.ts';

export interface InputOptions {
  publicUrl: string;
  allowPrivate: boolean;
  maxBytes: number;
  timeoutMs: number;
}

/** Build the `fetchInput` function an engine job receives. */
export function inputFetcher(blobs: BlobStore, workDir: string, options: InputOptions, signal: AbortSignal) {
  return async (url: string, name: string): Promise<string> => {
    const dest = join(workDir, name);
    const key = ownBlobKey(url, options.publicUrl);
    if (key) {
      if (!(await blobs.stat(key))) throw new RetakeError('input_unreachable', `No uploaded file at ${url}`);
      await blobs.download(key, dest);
      return dest;
    }
    await fetchToFile(url, dest, {
      allowPrivate: options.allowPrivate,
      maxBytes: options.maxBytes,
      timeoutMs: options.timeoutMs,
      signal,
    });
    return dest;
  };
}
