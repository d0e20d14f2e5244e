/**
 * The one input fetcher: resolves a request's input URL to a local file for an engine.
 * retake's own upload URLs map to the stored blob (no HTTP round trip through the
 * guard), `file:` URLs are copied when the caller allows them (the CLI, on the user's
 * own machine; never the server), anything else is fetched through the URL guard. The
 * file lands in the job's work directory under a cleaned name.
 */
import { copyFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BlobStore } from '../blobs/types.ts';
import { RetakeError } from '../errors/index.ts';
import { fetchToFile, ownBlobKey } from '../net/index.ts';

export interface InputOptions {
  /** retake's public base URL; its `/files/uploads/...` URLs are read from the blob store. Default: none (every URL is fetched). */
  publicUrl?: string | undefined;
  /** RETAKE_ALLOW_PRIVATE_URLS: lift the guard's address rule. */
  allowPrivate: boolean;
  /** Largest input, in bytes, fetched or copied. */
  maxBytes: number;
  /** A fetch must finish within this many milliseconds. */
  timeoutMs: number;
  /** Accept `file:` URLs and copy the file. Default false. */
  allowFiles?: boolean | undefined;
}

/** The engine chooses the name; keep it a plain file name all the same. */
function cleanName(name: string): string {
  return basename(name).replace(/[^\w.-]/g, '_') || 'input';
}

async function copyLocalFile(url: string, workDir: string, name: string, maxBytes: number): Promise<string> {
  const source = fileURLToPath(url);
  const target = join(workDir, extname(name) ? name : `${name}${extname(source)}`);
  const info = await stat(source).catch(() => undefined);
  if (!info?.isFile()) throw new RetakeError('input_unreachable', `Cannot read input file ${source}`);
  if (info.size > maxBytes) throw new RetakeError('input_too_large', `Input file is ${info.size} bytes; the limit is ${maxBytes}`);
  await copyFile(source, target);
  return target;
}

/**
 * Build the `fetchInput` function an engine job receives.
 * @param blobs where retake's own upload URLs are read from; undefined when there is no store (the CLI)
 */
export function inputFetcher(blobs: BlobStore | undefined, workDir: string, options: InputOptions, signal: AbortSignal) {
  return async (url: string, name: string): Promise<string> => {
    const safe = cleanName(name);
    if (options.allowFiles && url.startsWith('file:')) return copyLocalFile(url, workDir, safe, options.maxBytes);
    const dest = join(workDir, safe);
    const key = blobs && options.publicUrl !== undefined ? ownBlobKey(url, options.publicUrl) : undefined;
    if (blobs && key) {
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
