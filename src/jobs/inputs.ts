/**
 * Resolves a request's input URL to a local file for an engine: retake's own upload
 * URLs map to the stored blob (no HTTP round trip through the guard), anything else is
 * fetched through the URL guard into the job's work directory.
 */
import { join } from 'node:path';
import { RetakeError } from '../errors/index.ts';
import { fetchToFile } from '../net/fetch-to-file.ts';
import type { BlobStore } from '../blobs/types.ts';

export interface InputOptions {
  publicUrl: string;
  allowPrivate: boolean;
  maxBytes: number;
  timeoutMs: number;
}

/**
 * The blob key behind one of retake's own file URLs, or undefined for other URLs.
 * Throws 422 `input_url_invalid` for one of retake's URLs with a malformed escape
 * (`%FF`): it can name no file, and the client should hear why.
 */
export function ownBlobKey(url: string, publicUrl: string): string | undefined {
  const prefix = `${publicUrl}/files/`;
  if (!url.startsWith(prefix)) return undefined;
  let key: string;
  try {
    key = decodeURIComponent(url.slice(prefix.length).split(/[?#]/)[0] ?? '');
  } catch {
    throw new RetakeError('input_url_invalid', 'The file URL has a malformed percent-escape');
  }
  return /^uploads\/[A-Za-z0-9_-]+\/[A-Za-z0-9._-]+$/.test(key) ? key : undefined;
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
