/**
 * The pieces `retake edit` needs to run an engine job without a server: a private work
 * directory, the jobs' input fetcher (local files are copied, URLs go through the URL guard)
 * and an atomic write of the result to the user's chosen path.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import type { Config } from '../config.ts';
import type { EngineOutput } from '../engines/types.ts';
import { inputFetcher } from '../jobs/inputs.ts';

/** A fresh work directory under the OS temp dir; remove it with `removeWorkDir`. */
export function makeWorkDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'retake-edit-'));
}

/** Remove a work directory and everything in it; never throws. */
export async function removeWorkDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true }).catch(() => undefined);
}

/**
 * An `EngineJob.fetchInput` for the CLI: the jobs' own fetcher, with `file:` URLs
 * copied into `workDir` and http(s) URLs downloaded with the configured guard, size
 * and time limits. There is no blob store, so no URL counts as an upload.
 */
export function cliFetchInput(config: Config, workDir: string, signal: AbortSignal) {
  return inputFetcher(undefined, workDir, {
    allowPrivate: config.allowPrivateUrls, maxBytes: config.maxInputBytes, timeoutMs: config.fetchTimeoutMs, allowFiles: true,
  }, signal);
}

/**
 * Copy `source` to `destination` through a temp file in the destination's directory, then
 * rename: a reader never sees a half-written file, and a failure leaves nothing behind.
 */
export async function writeAtomically(source: string, destination: string): Promise<void> {
  const temp = join(dirname(destination), `.${basename(destination)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await copyFile(source, temp);
    await rename(temp, destination);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/** Where a sidecar output goes beside the main one: `out.mp4` → `out.exr.zip` (EXR) or `out-<name>`. */
export function sidecarPath(mainPath: string, output: Pick<EngineOutput, 'kind' | 'path'>): string {
  const ext = extname(mainPath);
  const stem = ext ? mainPath.slice(0, -ext.length) : mainPath;
  if (output.kind === 'exr') return `${stem}.exr${extname(output.path) || '.zip'}`;
  return `${stem}-${basename(output.path)}`;
}
