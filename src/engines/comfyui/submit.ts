/**
 * Queues a generation's prompt on a ComfyUI server: fetch and probe the source, upload
 * it to `/upload/image` with the first-frame image (the request's `input_image` or
 * keyframe at frame 0, or the source's own first frame) when the workflow has an image
 * input, and the keyframes laid into the source with their mask when it has a keyframes
 * input; build the graph, choose the prompt id and write it to the job's checkpoint, and
 * only then POST `/prompt`. A later attempt that finds the checkpoint follows that
 * prompt instead of queuing a second one.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { RetakeError } from '../../errors/index.ts';
import { guideFrames } from '../../models/guide-frames.ts';
import type { OperatorModel } from '../../models/operator-model.ts';
import { runFfmpeg } from '../local/ffmpeg-process.ts';
import { probeMedia } from '../local/probe.ts';
import { extensionFor, sniffFile } from '../../media/index.ts';
import type { EngineJob } from '../types.ts';
import { ComfyRejected, type ComfyClient } from './client.ts';
import { buildGraph, outputFrames, sourceFps, type BuiltGraph, type GraphInputs } from './graph.ts';
import { keyframeVideos, type LaidKeyframe } from './keyframe-video.ts';

/** What a generation keeps in its checkpoint. */
export interface ComfyState {
  engine: 'comfyui';
  server: string;
  prompt_id: string;
  client_id: string;
  seed: number;
  /** The graph as queued (a restarted worker needs its node names for the stages). */
  graph: BuiltGraph['graph'];
  /** Set when the prompt was queued a second time after the server lost it. */
  resubmitted: boolean;
  /**
   * False from the checkpoint until ComfyUI accepted the POST, then true. A prompt that
   * vanished before it was known to be sent was never lost by the server: queuing it
   * then is no resubmission. (Missing in older checkpoints: taken as sent.)
   */
  sent?: boolean | undefined;
  submitted_at: number;
}

/** The client id a generation's prompts are queued under (ComfyUI sends their events to it). */
export function clientIdOf(job: Pick<EngineJob, 'generationId'>): string {
  return `retake-${job.generationId}`;
}

/** Whether the server is known to have taken the prompt (so its vanishing is a loss). */
export function wasSent(state: ComfyState): boolean {
  return state.sent !== false;
}

/** The state an earlier attempt checkpointed, if any. */
export async function resumedState(job: EngineJob): Promise<ComfyState | undefined> {
  const state = await job.checkpoint?.get();
  if (!state || state.engine !== 'comfyui' || typeof state.prompt_id !== 'string') return undefined;
  return state as unknown as ComfyState;
}

export interface SubmitArgs {
  model: OperatorModel;
  client: ComfyClient;
  job: EngineJob;
  /** Kept from the first submission on a resubmission, so the result is the same picture. */
  seed?: number | undefined;
  resubmitted: boolean;
}

export async function submitPrompt(args: SubmitArgs): Promise<{ state: ComfyState; warnings: string[] }> {
  const { model, client, job } = args;
  job.onProgress({ progress: 0.02, stage: 'fetching' });
  const video = await job.fetchInput(job.request.input_video, 'input-video');
  const facts = await probeMedia(video, { signal: job.signal });
  if (facts.isStill) throw new RetakeError('input_no_video_stream', 'input_video is a still image; send a video');

  job.onProgress({ progress: 0.05, stage: `uploading to ${client.url}` });
  const stem = `${job.generationId}`;
  const uploaded = await uploadOrFail(client, video, `${stem}-video.${await extension(video, 'video/mp4')}`, job.signal);
  const source = { width: facts.width, height: facts.height, fps: facts.fps, duration: facts.duration };
  const guides = model.bindings.image || model.bindings.keyframes ? await fetchGuides(job) : [];
  let image: string | undefined;
  if (model.bindings.image) {
    const path = guides.find((k) => k.frame === 0)?.path ?? await firstFrame(video, join(job.workDir, 'first-frame.png'), job.signal);
    image = await uploadOrFail(client, path, `${stem}-image.${await extension(path, 'image/png')}`, job.signal);
  }
  let keyframes: GraphInputs['keyframes'];
  const warnings: string[] = [];
  if (model.bindings.keyframes) {
    if (guides.length > 0) job.onProgress({ progress: 0.06, stage: 'laying the keyframes into the source' });
    const laid = await keyframeVideos({
      source: video, width: facts.width, height: facts.height, fps: sourceFps(source), frames: outputFrames(model, job.request, source),
      keyframes: guides, mask: Boolean(model.bindings.keyframes.mask), workDir: job.workDir, signal: job.signal,
    });
    warnings.push(...laid.warnings);
    keyframes = {
      video: laid.video ? await uploadOrFail(client, laid.video, `${stem}-keyframes.mp4`, job.signal) : uploaded,
      mask: laid.mask ? await uploadOrFail(client, laid.mask, `${stem}-keyframe-mask.mp4`, job.signal) : undefined,
    };
  }

  const seed = args.seed ?? randomInt(0, 2 ** 47);
  const built = buildGraph(model, job.request, { video: uploaded, image, keyframes, seed, source });
  warnings.push(...built.warnings);
  const state: ComfyState = {
    engine: 'comfyui', server: client.url, prompt_id: randomUUID(), client_id: clientIdOf(job),
    seed, graph: built.graph, resubmitted: args.resubmitted, sent: false, submitted_at: Date.now(),
  };
  // Written before the submit: a crash after it finds the id and never queues twice.
  await job.checkpoint?.set({ ...state });
  try {
    await client.submit(state.prompt_id, state.client_id, built.graph, job.signal);
  } catch (err) {
    if (err instanceof ComfyRejected) {
      // Nothing was queued: a retry with the same checkpoint must not look for it.
      await job.checkpoint?.set({});
      throw new RetakeError('workflow_failed', `ComfyUI at ${client.url} refused the workflow: ${err.message}`, { cause: err });
    }
    throw err;
  }
  state.sent = true;
  await job.checkpoint?.set({ ...state });
  job.onProgress({ progress: 0.08, stage: 'queued on ComfyUI' });
  return { state, warnings };
}

async function uploadOrFail(client: ComfyClient, path: string, name: string, signal: AbortSignal): Promise<string> {
  try {
    return await client.upload(path, name, signal);
  } catch (err) {
    if (err instanceof ComfyRejected) throw new RetakeError('workflow_failed', err.message, { cause: err });
    throw err;
  }
}

/**
 * The request's guide images, fetched, with their frames: `input_image` is the keyframe
 * at frame 0, so both spellings reach the workflow the same way.
 */
async function fetchGuides(job: EngineJob): Promise<LaidKeyframe[]> {
  const guides = guideFrames(job.request);
  switch (guides.kind) {
    case 'none':
      return [];
    case 'first_frame':
      return [{ path: await job.fetchInput(guides.image, 'input-image'), frame: 0 }];
    case 'keyframes': {
      const fetched: LaidKeyframe[] = [];
      for (const [i, k] of guides.keyframes.entries()) fetched.push({ path: await job.fetchInput(k.image, `keyframe-${i}`), frame: k.frame });
      return fetched;
    }
  }
}

/** The source's first frame as a PNG (the image a workflow's image input gets when the request has none). */
async function firstFrame(video: string, dest: string, signal: AbortSignal): Promise<string> {
  await runFfmpeg(['-i', video, '-frames:v', '1', '-y', dest], { signal, totalSeconds: 0.1 });
  return dest;
}

/** The extension ComfyUI's loaders expect, from the file's first bytes (an upload's name says nothing). */
async function extension(path: string, fallbackType: string): Promise<string> {
  return extensionFor(await sniffFile(path, fallbackType));
}
