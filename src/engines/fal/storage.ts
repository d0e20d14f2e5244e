/**
 * Uploads an input file to fal storage, for inputs fal cannot fetch itself (retake
 * uploads, private addresses). fal's documented two-step protocol: `POST
 * {storage}/upload/initiate` names the file and answers a signed `upload_url` and the
 * public `file_url`; the bytes then go to `upload_url` with a PUT.
 */
import { readFile } from 'node:fs/promises';
import { request } from 'undici';
import { RetakeError } from '../../errors/index.ts';
import { abortableSleep, callProvider, providerReason, rejection, type RetryOptions } from '../provider-io/index.ts';

export interface FalStorageOptions {
  /** RETAKE_FAL_STORAGE_URL, e.g. `https://rest.alpha.fal.ai/storage`. */
  storageUrl: string;
  falKey: string;
  signal: AbortSignal;
  retry?: RetryOptions | undefined;
}

/** Upload `path` as `fileName`; answers the URL fal's queue can read it from. */
export async function uploadToFalStorage(path: string, fileName: string, contentType: string, options: FalStorageOptions): Promise<string> {
  const initiated = await callProvider<{ upload_url?: string; file_url?: string }>({
    provider: 'fal storage',
    method: 'POST',
    url: `${options.storageUrl.replace(/\/+$/, '')}/upload/initiate?storage_type=fal-cdn-v3`,
    headers: { authorization: `Key ${options.falKey}` },
    json: { content_type: contentType, file_name: fileName },
    signal: options.signal,
    retry: options.retry,
  });
  if (!initiated.upload_url || !initiated.file_url) {
    throw new RetakeError('engine_unavailable', 'fal storage did not answer an upload URL');
  }
  // The signed URL carries its own authorisation; the PUT is idempotent, so it may repeat.
  const body = await readFile(path);
  const attempts = options.retry?.attempts ?? 6;
  for (let attempt = 1; ; attempt++) {
    const res = await request(initiated.upload_url, {
      method: 'PUT', body, headers: { 'content-type': contentType }, signal: options.signal,
    }).catch((err: unknown) => {
      if (options.signal.aborted || attempt >= attempts) throw new RetakeError('engine_unavailable', 'fal storage upload failed', { cause: err });
      return undefined;
    });
    if (res) {
      const text = await res.body.text();
      if (res.statusCode >= 200 && res.statusCode < 300) return initiated.file_url;
      if (res.statusCode < 500 && res.statusCode !== 429) throw rejection('fal storage', res.statusCode, providerReason(text));
      if (attempt >= attempts) throw new RetakeError('engine_unavailable', `fal storage upload answered ${res.statusCode}`);
    }
    await abortableSleep(Math.min(10_000, (options.retry?.baseDelayMs ?? 1000) * 2 ** (attempt - 1)), options.signal);
  }
}
