/**
 * The `luma` engine: runs Ray 3.2 video edits through Luma's Agents API. Inputs Luma
 * cannot fetch are sent inline (base64 `data`); the generation id is checkpointed the
 * moment Luma answers, so a restarted worker follows the same paid generation; states
 * become progress; outputs (presigned for an hour) are downloaded at once.
 */
import { readFile } from 'node:fs/promises';
import { RetakeError } from '../../errors/index.ts';
import { sniffFile } from '../../media/index.ts';
import {
  abortableSleep, fetchOutputs, renderingProgress, routeInput, type HostResolver, type RemoteOutput, type RetryOptions,
} from '../provider-io/index.ts';
import type { Engine, EngineJob, EngineResult } from '../types.ts';
import { lumaClient, type LumaGeneration } from './client.ts';
import { lumaGeneration, type LumaMediaRef } from './request-body.ts';

export interface LumaEngineOptions {
  apiKey: string;
  /** RETAKE_LUMA_API_URL. */
  apiUrl: string;
  /** retake's public base URL (its upload URLs are sent inline, never as URLs). */
  publicUrl: string;
  /** How often the generation is polled, default 2000 ms. */
  pollMs?: number | undefined;
  /** Retries of each provider call (429 / 5xx). */
  retry?: RetryOptions | undefined;
  /** Retries of each output download: default 5 tries from 1000 ms. */
  download?: { attempts?: number; baseDelayMs?: number } | undefined;
  /** DNS for the reachability check (tests). */
  resolve?: HostResolver | undefined;
}

export function createLumaEngine(options: LumaEngineOptions): Engine {
  const client = lumaClient({ apiUrl: options.apiUrl, apiKey: options.apiKey, retry: options.retry });
  const pollMs = options.pollMs ?? 2000;

  async function mediaRef(job: EngineJob, url: string, name: string, fallbackType: string): Promise<LumaMediaRef> {
    const route = await routeInput(url, name, (u, n) => job.fetchInput(u, n), { publicUrl: options.publicUrl, resolve: options.resolve });
    if (route.kind === 'url') return { url: route.url };
    return { data: (await readFile(route.path)).toString('base64'), media_type: await sniffFile(route.path, fallbackType) };
  }

  async function submit(job: EngineJob): Promise<string> {
    job.onProgress({ progress: 0.01, stage: 'uploading' });
    const { request } = job;
    const source = await mediaRef(job, request.input_video, 'input-video', 'video/mp4');
    const image = request.input_image ? await mediaRef(job, request.input_image, 'input-image', 'image/png') : undefined;
    const created = await client.create(lumaGeneration(request, source, image), job.signal);
    // Nothing happens between Luma's answer and this write: it is what prevents a second charge.
    await job.checkpoint?.set({ provider: 'luma', generation_id: created.id, submitted_at: Date.now() });
    return created.id;
  }

  return {
    id: 'luma',
    async render(job): Promise<EngineResult> {
      const id = (await resumed(job)) ?? (await submit(job));
      // A cancel aborts job.signal and ends this loop. The Agents API documents no way to
      // cancel a running generation, so Luma finishes (and bills) it; retake drops it.
      const done = await follow(client, id, job, pollMs);
      job.onProgress({ progress: 0.92, stage: 'downloading' });
      const outputs = await fetchOutputs(lumaOutputs(done, job.request.exr_export), job.workDir, {
        provider: 'Luma', signal: job.signal, ...options.download,
      });
      return { outputs, warnings: [], interpretation: { engine: 'luma', provider_request_id: id } };
    },
  };
}

async function resumed(job: EngineJob): Promise<string | undefined> {
  const state = await job.checkpoint?.get();
  if (!state?.provider) return undefined;
  if (state.provider !== 'luma' || typeof state.generation_id !== 'string') {
    throw new RetakeError('render_failed', `This generation was submitted to ${JSON.stringify(state.provider)}, but the server now runs the hosted model through Luma; it cannot be followed from here.`);
  }
  return state.generation_id;
}

async function follow(client: ReturnType<typeof lumaClient>, id: string, job: EngineJob, pollMs: number): Promise<LumaGeneration> {
  let renderingSince: number | undefined;
  for (;;) {
    const generation = await client.get(id, job.signal);
    switch (generation.state) {
      case 'completed':
        return generation;
      case 'failed':
        throw lumaFailure(generation);
      case 'processing':
        renderingSince ??= Date.now();
        job.onProgress({ progress: renderingProgress(Date.now() - renderingSince), stage: 'rendering' });
        break;
      default:
        job.onProgress({ progress: 0.05, stage: 'queued' });
    }
    await abortableSleep(pollMs, job.signal);
  }
}

/** Luma's failure codes as retake's; the provider's reason is kept in the message. */
export function lumaFailure(generation: LumaGeneration): RetakeError {
  const reason = generation.failure_reason ? `: ${generation.failure_reason}` : '';
  if (generation.failure_code === 'content_moderated') {
    return new RetakeError('content_moderated', `Luma refused the request under its content policy${reason}`);
  }
  if (generation.failure_code === 'budget_exhausted') {
    return new RetakeError('provider_rejected', `Luma refused the request: the account's budget is exhausted${reason}`);
  }
  return new RetakeError('render_failed', `The hosted model failed at Luma (${generation.failure_code ?? 'unknown'})${reason}`);
}

/** The MP4 is the first video output; an EXR sidecar is an output typed or named exr. */
export function lumaOutputs(generation: LumaGeneration, wantExr: boolean): RemoteOutput[] {
  const items = (generation.output ?? []).filter((o): o is { type?: string; media_type?: string; url: string } => typeof o.url === 'string');
  const isExr = (o: { type?: string; media_type?: string; url: string }) =>
    /exr/i.test(`${o.type ?? ''} ${o.media_type ?? ''}`) || /\.exr(\.zip)?(?:[?#]|$)|exr[^/]*\.zip(?:[?#]|$)/i.test(o.url);
  const video = items.find((o) => !isExr(o));
  if (!video) throw new RetakeError('render_failed', 'Luma reported the generation completed but answered no video');
  const outputs: RemoteOutput[] = [{ kind: 'video', url: video.url, contentType: video.media_type?.includes('/') ? video.media_type : undefined }];
  const exr = items.find(isExr);
  if (exr && wantExr) outputs.push({ kind: 'exr', url: exr.url, contentType: exr.media_type?.includes('/') ? exr.media_type : undefined });
  return outputs;
}
