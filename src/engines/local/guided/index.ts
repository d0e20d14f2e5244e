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
import { RetakeError } from '../../../errors/index.ts';
import { describeFailure, ffmpegFailure, runProcess } from '../ffmpeg-process.ts';
import type { GuidedInterpretation } from '../interpretation.ts';
import { guidedChildCommand } from './child-command.ts';
import type { KeyframeReport } from './learn.ts';
import { runChain } from './process-chain.ts';
import { decodeArgs, encodeArgs, imageArgs, type EncodeInput } from './render-args.ts';

export { guidedStrength } from './guided-strength.ts';
export type { KeyframeReport } from './learn.ts';

/**
 * An image this close to frame 0 (ΔE and SSIM-Y of the two) is the frame itself, not
 * a restyle: it says nothing about the look, so the prompt decides.
 */
const UNCHANGED = { deltaE: 1.5, ssim: 0.98 };

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
  modelPath: string;
  imageRawPath: string;
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

async function ffmpeg(args: string[], options: Pick<GuidedLearnInput, 'ffmpegPath' | 'signal'>): Promise<void> {
  const result = await runProcess(options.ffmpegPath ?? 'ffmpeg', args, { signal: options.signal });
  if (result.code !== 0) throw ffmpegFailure(result.stderrTail, 'FFmpeg failed while reading the keyframe');
}

/** Where guided mode keeps its intermediate files inside a job's work directory. */
const guidedDir = (workDir: string): string => join(workDir, 'guided');

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
    ffmpeg(decodeArgs({ sourcePath: input.sourcePath, fps: input.geometry.fps, width, height, toSdr: input.toSdr, duration: input.geometry.duration, frames: 1, output: sourceRawPath }), input),
    ffmpeg(imageArgs(input.imagePath, width, height, imageRawPath), input),
  ]);
  const child = guidedChildCommand('learn', [sourceRawPath, imageRawPath, String(width), String(height), modelPath]);
  const result = await runProcess(child.command, child.args, { signal: input.signal });
  if (result.code !== 0) throw new RetakeError('render_failed', `Learning the look of input_image failed: ${describeFailure(result.stderrTail)}`);
  const report = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as KeyframeReport;
  const unchanged = report.change.delta_e < UNCHANGED.deltaE && report.change.ssim > UNCHANGED.ssim;
  const decision = !report.aligned ? 'not_aligned' : unchanged ? 'unchanged' : 'guided';
  return { report, decision, workWidth: width, workHeight: height, modelPath, imageRawPath };
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
  const mapper = guidedChildCommand('apply', [learning.modelPath, String(w), String(h), String(input.strength), String(threads), learning.imageRawPath]);
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
export function guidedInterpretation(learning: GuidedLearning, strength: number): GuidedInterpretation {
  const { report } = learning;
  return {
    mode: learning.decision === 'guided' ? 'guided' : learning.decision === 'unchanged' ? 'prompt' : 'colour_transfer',
    method: 'two-stage locally linear regression: 5×5 luma patch, colour, two wider scales, gradient and contrast features, ' +
      'bucketed by luma, gradient strength and direction, over a 17³ colour lookup table and tone curves; then a second ' +
      'stage on the first stage\'s output around each pixel, bucketed by its level and edges; learned on frame 0',
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
    combination: learning.decision === 'guided'
      ? 'the image decides the look; the prompt\'s style words are not applied'
      : learning.decision === 'unchanged'
        ? 'the image is frame 0 unchanged, so it says nothing about the look: the prompt decides it'
        : 'the image is not a restyle of frame 0: the prompt\'s look with the image\'s colours',
  };
}
