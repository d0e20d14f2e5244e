/**
 * Keyframes must name frames the source has. The schema cannot know the source, so a
 * request with a keyframe after frame 0 has its source fetched (retake's own upload from
 * the blob store, any other URL through the guard, exactly as the job will fetch it)
 * into a scratch directory, probed and dropped, before anything is queued or charged.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobStore } from '../blobs/types.ts';
import { probeMedia, type MediaFacts } from '../engines/local/probe.ts';
import { RetakeError } from '../errors/index.ts';
import type { KeyframeRef, VideoRequest } from '../models/index.ts';
import { inputFetcher, type InputOptions } from './inputs.ts';

/** Frames in the source's grid: those counted, else its duration at its frame rate (0 for a still). */
export function sourceFrameCount(facts: Pick<MediaFacts, 'duration' | 'fps' | 'frames'>): number {
  if (facts.frames !== undefined) return facts.frames;
  return facts.fps ? Math.max(1, Math.round(facts.duration * facts.fps)) : 0;
}

/** The 422 for keyframes at or past `frames`, or undefined when every one is inside. */
export function keyframesPastEnd(keyframes: readonly KeyframeRef[], frames: number, fps: number | undefined): RetakeError | undefined {
  const outside = keyframes.map((k, i) => ({ ...k, i })).filter((k) => k.frame >= frames);
  if (outside.length === 0) return undefined;
  const rate = fps ? ` (${(frames / fps).toFixed(2)} s at ${Number(fps.toFixed(3))} fps)` : '';
  const problems = outside.map((k) => ({
    field: 'keyframes',
    message: `keyframes[${k.i}] is at frame ${k.frame}, but the source has frames 0 to ${frames - 1}${rate}`,
  }));
  return new RetakeError('keyframe_past_end', problems.map((p) => p.message).join('; '), { fields: problems });
}

export interface KeyframeRangeOptions {
  blobs: BlobStore;
  inputs: InputOptions;
  signal?: AbortSignal | undefined;
}

/** Throws `keyframe_past_end` (or the source's own `input_*` error) before a request is queued. */
export async function checkKeyframeRange(request: VideoRequest, options: KeyframeRangeOptions): Promise<void> {
  const keyframes = request.keyframes ?? [];
  if (!keyframes.some((k) => k.frame > 0)) return;
  const scratch = await mkdtemp(join(options.blobs.tmpDir, 'keyframe-check-'));
  try {
    const signal = options.signal ?? new AbortController().signal;
    const path = await inputFetcher(options.blobs, scratch, options.inputs, signal)(request.input_video, 'source');
    const facts = await probeMedia(path, { signal });
    const failure = keyframesPastEnd(keyframes, sourceFrameCount(facts), facts.fps);
    if (failure) throw failure;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
