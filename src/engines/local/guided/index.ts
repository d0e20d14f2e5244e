/**
 * Guided mode of retake-local: the look of `input_image` (a restyle of frame 0 made in
 * any tool) carried across the whole clip. `learnGuided` extracts frame 0 and the
 * image at the working size and learns the mapping in a child process; the pipeline
 * then either renders with `renderGuided` (decoder | mapper | encoder, raw frames
 * streamed from child to child, the mapper on several threads) or, when the image is
 * not a restyle of frame 0, falls back to the colour transfer. Nothing here runs pixel
 * loops on the caller's event loop, and no frame passes through it.
 */
import { mkdir, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { GuidedInterpretation } from '../interpretation.ts';
import { guidedChildCommand } from './child-command.ts';
import { learnKeyframes, type KeyframeFile, type KeyframesLearning } from './keyframes/learn-keyframes.ts';
import { keyframeRecords, keyframesCombination } from './keyframes/record.ts';
import type { KeyframeReport } from './learn.ts';
import { ffmpegStep, guidedDir, keyframeDecision, learnPair } from './learn-pair.ts';
import { runChain } from './process-chain.ts';
import { decodeArgs, encodeArgs, imageArgs, type EncodeInput } from './render-args.ts';

export { guidedStrength } from './guided-strength.ts';
export type { KeyframeReport } from './learn.ts';

export interface GuidedGeometry {
  /** Output size and frame rate (render-plan.ts). */
  width: number;
  height: number;
  fps: string;
  duration: number;
  /** The source's displayed size. */
  sourceWidth: number;
  sourceHeight: number;
}

export interface GuidedLearnInput {
  sourcePath: string;
  imagePath: string;
  geometry: GuidedGeometry;
  workDir: string;
  toSdr?: string | undefined;
  ffmpegPath?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface GuidedLearning {
  report: KeyframeReport;
  /** What the pipeline should do: render guided, let the prompt decide, or fall back. */
  decision: 'guided' | 'unchanged' | 'not_aligned';
  workWidth: number;
  workHeight: number;
  /** The model, or with keyframes the plan (keyframes/plan-mapper.ts). */
  modelPath: string;
  /** The image at the working size, written as frame 0; none when no keyframe stands at frame 0. */
  imageRawPath: string | undefined;
  /** With keyframes: everything learned (the report above is the first usable keyframe's). */
  keyframes?: KeyframesLearning | undefined;
}

const even = (v: number): number => Math.max(2, Math.round(v / 2) * 2);

/**
 * The size the mapping is learned and applied at: the output size, but never larger
 * than the source itself. An effect made on a small source has its strokes and lines
 * at the source's scale; learning on an upscaled frame would blur them away (and cost
 * more). The encoder scales the mapped frames to the output size.
 */
export function workSize(geometry: GuidedGeometry): { width: number; height: number } {
  const outShort = Math.min(geometry.width, geometry.height);
  const sourceShort = Math.min(geometry.sourceWidth, geometry.sourceHeight);
  const k = Math.min(1, sourceShort / outShort);
  return { width: even(geometry.width * k), height: even(geometry.height * k) };
}

/** Remove guided mode's intermediate files (after the render, whether it worked or not). */
export async function discardGuidedFiles(workDir: string): Promise<void> {
  await rm(guidedDir(workDir), { recursive: true, force: true });
}

/** Extract the keyframe pair and learn the mapping (in a child process). */
export async function learnGuided(input: GuidedLearnInput): Promise<GuidedLearning> {
  const { width, height } = workSize(input.geometry);
  const dir = guidedDir(input.workDir);
  await mkdir(dir, { recursive: true });
  const sourceRawPath = join(dir, 'frame0.rgb');
  const imageRawPath = join(dir, 'image.rgb');
  const modelPath = join(dir, 'model.json');
  await Promise.all([
    ffmpegStep(decodeArgs({ sourcePath: input.sourcePath, fps: input.geometry.fps, width, height, toSdr: input.toSdr, duration: input.geometry.duration, frames: 1, output: sourceRawPath }), 'reading the keyframe', input),
    ffmpegStep(imageArgs(input.imagePath, width, height, imageRawPath), 'reading the keyframe', input),
  ]);
  const report = await learnPair({ sourceRawPath, imageRawPath, width, height, modelPath }, 'input_image', input.signal);
  return { report, decision: keyframeDecision(report), workWidth: width, workHeight: height, modelPath, imageRawPath };
}

export interface GuidedKeyframesInput extends Omit<GuidedLearnInput, 'imagePath'> {
  keyframes: readonly KeyframeFile[];
  /** The source's frame rate: the keyframes' `frame` counts its frames. */
  sourceFps: number;
}

/** Learn every keyframe and plan which make each frame (keyframes/learn-keyframes.ts). */
export async function learnGuidedKeyframes(input: GuidedKeyframesInput): Promise<GuidedLearning> {
  const { width, height } = workSize(input.geometry);
  const { fps, duration } = input.geometry;
  const learned = await learnKeyframes({ ...input, width, height, fps, duration });
  const lead = learned.keyframes[learned.usable[0] ?? 0]!;
  return {
    report: lead.report, decision: learned.decision, workWidth: width, workHeight: height,
    modelPath: learned.planPath, imageRawPath: learned.firstRawPath, keyframes: learned,
  };
}

/** What the encoder needs beyond the geometry comes straight through (render-args.ts). */
export interface GuidedRenderInput extends Pick<EncodeInput, 'sourcePath' | 'hasAudio' | 'audioChannels' | 'hdr' | 'exrPattern' | 'exrFrames' | 'outputPath'> {
  geometry: GuidedGeometry;
  learning: GuidedLearning;
  /** 0..1.4, from guidedStrength(). */
  strength: number;
  toSdr?: string | undefined;
  ffmpegPath?: string | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: { fraction: number; etaS: number | undefined }) => void) | undefined;
  /** Mapping threads; default {@link mapperThreads} of the working size. */
  threads?: number | undefined;
}

/** Most mapping threads, and the memory their per-frame planes may take together. */
const MAX_THREADS = 4;
const PLANES_BUDGET_BYTES = 420 * 1024 ** 2;
/** Bytes of float planes a thread holds per pixel of the working size (features.ts: 23 planes). */
const PLANE_BYTES_PER_PIXEL = 4 * 23;

/**
 * Mapping threads for frames of `width`×`height`: one per core (the decoder and encoder
 * need little), at most four, and no more than the planes budget allows at this size:
 * two at 1080p, where a 1080p encoder, decoder and server take most of the rest of
 * 1.5 GB, so memory stays bounded on a machine with many cores.
 */
export function mapperThreads(width: number, height: number, cores = availableParallelism()): number {
  const byMemory = Math.floor(PLANES_BUDGET_BYTES / (width * height * PLANE_BYTES_PER_PIXEL));
  return Math.max(1, Math.min(cores, MAX_THREADS, byMemory));
}

/** Render the whole clip through the learned mapping: decoder | mapper | encoder. */
export async function renderGuided(input: GuidedRenderInput): Promise<void> {
  const { geometry, learning } = input;
  const ffmpegCommand = input.ffmpegPath ?? 'ffmpeg';
  const w = learning.workWidth, h = learning.workHeight;
  const threads = input.threads ?? mapperThreads(w, h);
  const first = learning.imageRawPath ? [learning.imageRawPath] : [];
  const mapper = guidedChildCommand(learning.keyframes ? 'apply-plan' : 'apply', [learning.modelPath, String(w), String(h), String(input.strength), String(threads), ...first]);
  const started = Date.now();
  await runChain([
    { name: 'decoder', command: ffmpegCommand, args: decodeArgs({ sourcePath: input.sourcePath, fps: geometry.fps, width: w, height: h, toSdr: input.toSdr, duration: geometry.duration }) },
    { name: 'mapper', ...mapper },
    {
      name: 'encoder', command: ffmpegCommand,
      args: encodeArgs({
        workWidth: w, workHeight: h, fps: geometry.fps, width: geometry.width, height: geometry.height, duration: geometry.duration,
        sourcePath: input.sourcePath, hasAudio: input.hasAudio, audioChannels: input.audioChannels, hdr: input.hdr,
        exrPattern: input.exrPattern, exrFrames: input.exrFrames, outputPath: input.outputPath,
      }),
    },
  ], {
    signal: input.signal,
    onLastStdoutLine: (line) => {
      const match = /^out_time_us=(\d+)/.exec(line);
      if (!match || !input.onProgress) return;
      const fraction = Math.min(1, Math.max(0, Number(match[1]) / 1e6 / geometry.duration));
      const elapsed = (Date.now() - started) / 1000;
      input.onProgress({ fraction, etaS: fraction > 0.02 ? Math.round((elapsed / fraction) * (1 - fraction) * 10) / 10 : undefined });
    },
  });
}

/** The interpretation's record of guided mode. */
export function guidedInterpretation(learning: GuidedLearning, strength: number, fps: number): GuidedInterpretation {
  const { report, keyframes } = learning;
  return {
    mode: learning.decision === 'guided' ? 'guided' : learning.decision === 'unchanged' ? 'prompt' : 'colour_transfer',
    method: 'two-stage locally linear regression: 5×5 luma patch, colour, two wider scales, gradient and contrast features, ' +
      'bucketed by luma, gradient strength and direction, over a 17³ colour lookup table and tone curves; then a second ' +
      'stage on the first stage\'s output around each pixel, bucketed by its level and edges; ' +
      (keyframes ? 'learned on each keyframe and its source frame; within a shot the nearer keyframe\'s, crossfaded midway between two' : 'learned on frame 0'),
    keyframe_fit: report.keyframe,
    image_change: report.change,
    alignment: {
      score: report.alignment.score,
      aligned: report.aligned,
      scale: report.alignment.scale,
      shift: [report.alignment.shiftX, report.alignment.shiftY],
    },
    work_size: { width: learning.workWidth, height: learning.workHeight },
    strength,
    combination: keyframes ? keyframesCombination(learning.decision) : learning.decision === 'guided'
      ? 'the image decides the look; the prompt\'s style words are not applied'
      : learning.decision === 'unchanged'
        ? 'the image is frame 0 unchanged, so it says nothing about the look: the prompt decides it'
        : 'the image is not a restyle of frame 0: the prompt\'s look with the image\'s colours',
    // The marks are rendered with one image only; keyframes carry the mapping alone.
    ...(!keyframes && learning.decision === 'guided' && report.parts ? { parts: report.parts } : {}),
    ...(keyframes ? keyframeRecords(keyframes, fps) : {}),
  };
}
