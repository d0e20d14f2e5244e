/**
 * The `fal` engine: runs Luma Ray 3.2 video-to-video through fal's queue. Inputs fal
 * cannot fetch go to fal storage first; the request id is checkpointed the moment fal
 * answers, so a restarted worker follows the same paid request; status becomes progress;
 * outputs are downloaded into the work directory before their URLs can expire; a user's
 * cancel reaches fal's cancel endpoint.
 */
import { RetakeError } from '../../errors/index.ts';
import { extensionFor, sniffFile } from '../../media/index.ts';
import {
  abortableSleep, fetchOutputs, isModeration, isUserCancel, renderingProgress, routeInput,
  type HostResolver, type RemoteOutput, type RetryOptions,
} from '../provider-io/index.ts';
import type { Engine, EngineJob, EngineResult } from '../types.ts';
import { falQueueClient, type FalQueueClient, type FalRequestRef, type FalStatus } from './queue-client.ts';
import { FAL_APP, falInput } from './request-body.ts';
import { uploadToFalStorage } from './storage.ts';

export interface FalEngineOptions {
  falKey: string;
  /** RETAKE_FAL_QUEUE_URL. */
  queueUrl: string;
  /** RETAKE_FAL_STORAGE_URL. */
  storageUrl: string;
  /** retake's public base URL (its upload URLs are uploaded, never sent). */
  publicUrl: string;
  /** How often the status is polled, default 2000 ms. */
  pollMs?: number | undefined;
  /** Retries of each provider call (429 / 5xx). */
  retry?: RetryOptions | undefined;
  /** Retries of each output download: default 5 tries from 1000 ms. */
  download?: { attempts?: number; baseDelayMs?: number } | undefined;
  /** DNS for the reachability check (tests). */
  resolve?: HostResolver | undefined;
}

export function createFalEngine(options: FalEngineOptions): Engine {
  const client = falQueueClient({ queueUrl: options.queueUrl, falKey: options.falKey, retry: options.retry });
  const pollMs = options.pollMs ?? 2000;

  /** Make an input reachable by fal: its own URL when public, otherwise a fal storage upload. */
  async function reachableUrl(job: EngineJob, url: string, name: string, fallbackType: string): Promise<string> {
    const route = await routeInput(url, name, (u, n) => job.fetchInput(u, n), { publicUrl: options.publicUrl, resolve: options.resolve });
    if (route.kind === 'url') return route.url;
    const type = await sniffFile(route.path, fallbackType);
    return uploadToFalStorage(route.path, `${name}.${extensionFor(type)}`, type, {
      storageUrl: options.storageUrl, falKey: options.falKey, signal: job.signal, retry: options.retry,
    });
  }

  async function submit(job: EngineJob): Promise<FalRequestRef> {
    job.onProgress({ progress: 0.01, stage: 'uploading' });
    const { request } = job;
    const videoUrl = await reachableUrl(job, request.input_video, 'input-video', 'video/mp4');
    const imageUrl = request.input_image ? await reachableUrl(job, request.input_image, 'input-image', 'image/png') : undefined;
    const ref = await client.submit(FAL_APP, falInput(request, videoUrl, imageUrl), job.signal);
    // Nothing happens between fal's answer and this write: it is what prevents a second charge.
    await job.checkpoint?.set({ provider: 'fal', ...ref, submitted_at: Date.now() });
    return ref;
  }

  return {
    id: 'fal',
    async render(job): Promise<EngineResult> {
      const ref = (await resumed(job)) ?? (await submit(job));
      try {
        await follow(client, ref, job, pollMs);
        const result = await client.result(ref, job.signal);
        job.onProgress({ progress: 0.92, stage: 'downloading' });
        const outputs = await fetchOutputs(falOutputs(result, job.request.exr_export), job.workDir, {
          provider: 'fal', signal: job.signal, ...options.download,
        });
        return { outputs, warnings: [], interpretation: { engine: 'fal', provider_request_id: ref.request_id } };
      } catch (err) {
        if (isUserCancel(job.signal)) await client.cancel(ref);
        throw err;
      }
    },
  };
}

/** The request an earlier attempt submitted, if any. */
async function resumed(job: EngineJob): Promise<FalRequestRef | undefined> {
  const state = await job.checkpoint?.get();
  if (!state?.provider) return undefined;
  if (state.provider !== 'fal' || typeof state.request_id !== 'string') {
    throw new RetakeError('render_failed', `This generation was submitted to ${JSON.stringify(state.provider)}, but the server now runs the hosted model through fal; it cannot be followed from here.`);
  }
  return state as unknown as FalRequestRef;
}

/** Poll the status until COMPLETED, reporting queue position and rendering as progress. */
async function follow(client: FalQueueClient, ref: FalRequestRef, job: EngineJob, pollMs: number): Promise<void> {
  let renderingSince: number | undefined;
  for (;;) {
    const status: FalStatus = await client.status(ref, job.signal);
    switch (status.status) {
      case 'IN_QUEUE': {
        const ahead = status.queue_position;
        job.onProgress({ progress: 0.05, stage: typeof ahead === 'number' && ahead > 0 ? `queued (${ahead} ahead)` : 'queued' });
        break;
      }
      case 'IN_PROGRESS':
        renderingSince ??= Date.now();
        job.onProgress({ progress: renderingProgress(Date.now() - renderingSince), stage: 'rendering' });
        break;
      case 'COMPLETED':
        if (status.error) throw appFailure(status.error, status.error_type ?? '');
        return;
      case 'CANCELED':
      case 'CANCELLED':
        throw new RetakeError('cancelled', 'The request was cancelled at fal');
      case 'FAILED':
        throw appFailure(status.error ?? 'the request failed at fal', status.error_type ?? '');
      default:
        // An unknown state is reported as queued and polled again.
        job.onProgress({ progress: 0.05, stage: 'queued' });
    }
    await abortableSleep(pollMs, job.signal);
  }
}

function appFailure(message: string, type: string): RetakeError {
  if (isModeration(`${type} ${message}`)) return new RetakeError('content_moderated', `fal refused the request under its content policy: ${message}`);
  return new RetakeError('render_failed', `The hosted model failed at fal: ${message}`);
}

/**
 * fal answers Files (`{url, content_type, file_name}`): `video` is the MP4; the EXR
 * sidecar is any other File whose field name mentions exr (asked for with exr_export).
 */
export function falOutputs(result: Record<string, unknown>, wantExr: boolean): RemoteOutput[] {
  const file = (v: unknown) => (v && typeof v === 'object' && typeof (v as { url?: unknown }).url === 'string'
    ? (v as { url: string; content_type?: string })
    : undefined);
  const video = file(result.video);
  if (!video) throw new RetakeError('render_failed', 'fal reported success but answered no video');
  const outputs: RemoteOutput[] = [{ kind: 'video', url: video.url, contentType: video.content_type }];
  for (const [name, value] of Object.entries(result)) {
    const exr = /exr/i.test(name) ? file(value) : undefined;
    if (exr && wantExr) outputs.push({ kind: 'exr', url: exr.url, contentType: exr.content_type });
  }
  return outputs;
}
