/**
 * Copies a provider's output into the job's work directory as soon as the job completes:
 * provider URLs expire (an hour for Luma), retake's copy does not. Each download retries
 * on its own, so a flaky CDN never costs a second generation.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Agent, interceptors, request } from 'undici';
import { RetakeError } from '../../errors/index.ts';
import { abortableSleep } from './sleep.ts';

export interface DownloadOptions {
  /** Named in error messages. */
  provider: string;
  signal: AbortSignal;
  /** Tries, default 5. */
  attempts?: number;
  /** First backoff delay, doubled each time; default 1000 ms. */
  baseDelayMs?: number;
}

/** Output URLs often redirect to a CDN. */
const followRedirects = new Agent().compose(interceptors.redirect({ maxRedirections: 5 }));

/** Download `url` to `dest` (atomically: a temp file, then rename); answers the response's content type. */
export async function downloadOutput(url: string, dest: string, options: DownloadOptions): Promise<{ contentType: string | undefined }> {
  const attempts = options.attempts ?? 5;
  const base = options.baseDelayMs ?? 1000;
  const partial = `${dest}.part`;
  let last = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const res = await request(url, { method: 'GET', signal: options.signal, dispatcher: followRedirects });
      if (res.statusCode >= 200 && res.statusCode < 300) {
        await pipeline(res.body, createWriteStream(partial));
        await rename(partial, dest);
        const type = res.headers['content-type'];
        return { contentType: Array.isArray(type) ? type[0] : type };
      }
      await res.body.dump();
      last = `answered ${res.statusCode}`;
    } catch (err) {
      await rm(partial, { force: true });
      if (options.signal.aborted) throw err;
      last = err instanceof Error ? err.message : String(err);
    }
    if (attempt < attempts) await abortableSleep(base * 2 ** (attempt - 1), options.signal);
  }
  throw new RetakeError('engine_unavailable', `Could not download the ${options.provider} output (${last}) after ${attempts} tries`);
}
