/**
 * Turns a finished provider job's output URLs into files in the work directory (the
 * runner then moves them into retake's blob store), plus the progress and cancel
 * conventions both hosted engines share.
 */
import { join } from 'node:path';
import { ABORT_REASONS } from '../types.ts';
import type { EngineOutput } from '../types.ts';
import { downloadOutput, type DownloadOptions } from './download.ts';
import { extensionFor } from '../../media/index.ts';

export interface RemoteOutput {
  kind: 'video' | 'exr';
  url: string;
  /** What the provider said the content type is, if it did. */
  contentType?: string | undefined;
}

/** Download each output on its own (its own retries), named `video.<ext>` / `exr.<ext>`. */
export async function fetchOutputs(remote: RemoteOutput[], workDir: string, options: DownloadOptions): Promise<EngineOutput[]> {
  const outputs: EngineOutput[] = [];
  for (const item of remote) {
    const fromUrl = /\.([a-z0-9]{2,5})(?:[?#].*)?$/i.exec(new URL(item.url).pathname)?.[1]?.toLowerCase();
    const fallbackType = item.kind === 'video' ? 'video/mp4' : fromUrl === 'exr' ? 'image/x-exr' : 'application/zip';
    const hinted = item.contentType && item.contentType !== 'application/octet-stream' ? item.contentType : undefined;
    const ext = fromUrl ?? extensionFor(hinted ?? fallbackType);
    const path = join(workDir, `${item.kind}.${ext}`);
    const { contentType } = await downloadOutput(item.url, path, options);
    const served = contentType && contentType !== 'application/octet-stream' ? contentType.split(';')[0]!.trim() : undefined;
    outputs.push({ kind: item.kind, path, contentType: hinted ?? served ?? fallbackType });
  }
  return outputs;
}

/** True when the job was cancelled by its user (not a shutdown or a lost lease, which resume later). */
export function isUserCancel(signal: AbortSignal): boolean {
  return signal.aborted && signal.reason === ABORT_REASONS.cancelled;
}

/**
 * Providers report a stage, not a percentage. While rendering, progress rises towards
 * 0.9 with the elapsed time (half-way after `typicalS`), so a client sees motion without
 * a promise the provider never made.
 */
export function renderingProgress(elapsedMs: number, typicalS = 120): number {
  return 0.1 + 0.8 * (1 - 2 ** (-elapsedMs / 1000 / typicalS));
}
