/**
 * Checks on a request's input URLs that can be made before anything is queued or
 * charged: the scheme, retake's own upload URLs pointing at a file that exists, and
 * host names that are plainly local. The full guard (DNS resolution, redirects, size)
 * runs when the job fetches the input.
 */
import { RetakeError, type FieldProblem } from '../errors/index.ts';
import { isPlainlyLocalHost, ownBlobKey } from '../net/index.ts';
import type { VideoRequest } from '../models/index.ts';
import type { BlobStore } from '../blobs/types.ts';

export interface InputCheckOptions {
  blobs: BlobStore;
  publicUrl: string;
  allowPrivate: boolean;
}

export async function checkInputUrls(request: VideoRequest, options: InputCheckOptions): Promise<void> {
  const problems: FieldProblem[] = [];
  let blocked = false;
  const inputs: { field: string; name: string; value: string | undefined }[] = [
    { field: 'input_video', name: 'input_video', value: request.input_video },
    { field: 'input_image', name: 'input_image', value: request.input_image },
    ...(request.keyframes ?? []).map((k, i) => ({ field: 'keyframes', name: `keyframes[${i}].image`, value: k.image })),
  ];
  for (const { field, name, value } of inputs) {
    if (value === undefined) continue;
    let own: string | undefined;
    try {
      own = ownBlobKey(value, options.publicUrl);
    } catch (err) {
      if (!(err instanceof RetakeError)) throw err;
      const message = `${name}: ${err.detail}`;
      throw new RetakeError(err.code, message, { fields: [{ field, message }] });
    }
    if (own) {
      if (!(await options.blobs.stat(own))) problems.push({ field, message: `${name}: no uploaded file at ${value}` });
      continue;
    }
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      problems.push({ field, message: `${name} must be a URL` });
      continue;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      problems.push({ field, message: `${name} must be an http or https URL (got ${url.protocol.replace(':', '')})` });
    } else if (!options.allowPrivate && isPlainlyLocalHost(url.hostname)) {
      blocked = true;
      problems.push({ field, message: `${name} points at a loopback or private address (${url.hostname}); retake fetches only public URLs` });
    }
  }
  if (problems.length === 0) return;
  const detail = problems.map((p) => p.message).join('; ');
  throw new RetakeError(blocked && problems.length === 1 ? 'input_url_blocked' : 'validation_error', detail, { fields: problems });
}

/** A webhook target must be an http(s) URL the guard would let retake reach. */
export function checkWebhookUrl(value: string, allowPrivate: boolean): void {
  let problem: string | undefined;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') problem = 'webhook_url must be an http or https URL';
    else if (!allowPrivate && isPlainlyLocalHost(url.hostname)) problem = `webhook_url points at a loopback or private address (${url.hostname})`;
  } catch {
    problem = 'webhook_url must be a URL';
  }
  if (problem) throw new RetakeError('validation_error', problem, { fields: [{ field: 'webhook_url', message: problem }] });
}
