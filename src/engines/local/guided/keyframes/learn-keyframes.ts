/**
 * Guided mode with several keyframes: each restyled image is learned against the source
 * frame at its index (at the working size, with the same alignment check as a single
 * image), the source's shots are found, and a plan says which keyframes' mappings make
 * every frame (schedule.ts). The source frames of all keyframes come out of one decode;
 * the pairs are learned one child at a time (at most two at once), so memory does not
 * grow with the number of keyframes, and only the small models stay on disk.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fpsValue } from '../../render-plan.ts';
import type { KeyframeReport } from '../learn.ts';
import { ffmpegStep, guidedDir, keyframeDecision, learnPair, type KeyframeDecision, type ProcessOptions } from '../learn-pair.ts';
import { decodeArgs, imageArgs } from '../render-args.ts';
import type { KeyframePlan } from './plan-mapper.ts';
import { planShots, type PlannedShot } from './schedule.ts';
import { analyseShots } from './shots.ts';

/** Pairs learned at the same time (each child holds one pair of frames). */
const LEARNING_AT_ONCE = 2;

export interface KeyframeFile {
  /** The restyled image on disk. */
  path: string;
  /** Index in the source's frame grid. */
  frame: number;
}

export interface KeyframesInput extends ProcessOptions {
  sourcePath: string;
  /** The source's own frame rate (its frame grid), frames per second. */
  sourceFps: number;
  keyframes: readonly KeyframeFile[];
  /** Working size, the decoder's frame rate and the length rendered. */
  width: number;
  height: number;
  fps: string;
  duration: number;
  workDir: string;
  toSdr?: string | undefined;
}

export interface LearnedKeyframe {
  /** As requested: the index in the source's frame grid. */
  frame: number;
  /** The frame of the render it stands at. */
  outputFrame: number;
  report: KeyframeReport;
  decision: KeyframeDecision;
}

export interface KeyframesLearning {
  keyframes: LearnedKeyframe[];
  /** Every shot with the keyframes that make it (models index `usable`); empty when no keyframe is usable. */
  shots: PlannedShot[];
  /** Indexes into `keyframes` of those that aligned, in the plan's model order. */
  usable: number[];
  /** 'guided' when any usable keyframe changes the look, 'unchanged' when none does, 'not_aligned' when none aligned. */
  decision: KeyframeDecision;
  planPath: string;
  /** The image of a usable keyframe at frame 0, at the working size: it is written as frame 0. */
  firstRawPath: string | undefined;
}

/** Run `task` over `items`, `limit` at a time, in order of start. */
async function inTurn<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

export async function learnKeyframes(input: KeyframesInput): Promise<KeyframesLearning> {
  const { width, height } = input;
  const dir = join(guidedDir(input.workDir), 'keyframes');
  await mkdir(dir, { recursive: true });
  const analysis = await analyseShots(input.sourcePath, input.fps, input.duration, { ...input, tempDir: input.workDir });
  const lastFrame = Math.max(0, analysis.frames - 1);
  const outputFrame = (frame: number): number => Math.min(lastFrame, Math.round((frame / input.sourceFps) * fpsValue(input.fps)));
  const frames = input.keyframes.map((k) => outputFrame(k.frame));
  // Every keyframe's source frame from one decode, one raw file each (in order of frame).
  const distinct = [...new Set(frames)].sort((a, b) => a - b);
  const decode = { sourcePath: input.sourcePath, fps: input.fps, width, height, toSdr: input.toSdr, duration: input.duration, select: distinct };
  await ffmpegStep(decodeArgs({ ...decode, output: join(dir, 'source-%d.rgb') }), 'reading the keyframes\' source frames', input);

  const learned = await inTurn(input.keyframes, LEARNING_AT_ONCE, async (keyframe, i): Promise<LearnedKeyframe> => {
    const imageRawPath = join(dir, `image-${i}.rgb`);
    await ffmpegStep(imageArgs(keyframe.path, width, height, imageRawPath), `reading the keyframe at frame ${keyframe.frame}`, input);
    const sourceRawPath = join(dir, `source-${distinct.indexOf(frames[i]!) + 1}.rgb`);
    const report = await learnPair({ sourceRawPath, imageRawPath, width, height, modelPath: join(dir, `model-${i}.json`) }, `the keyframe at frame ${keyframe.frame}`, input.signal);
    return { frame: keyframe.frame, outputFrame: frames[i]!, report, decision: keyframeDecision(report) };
  });

  const usable = learned.flatMap((k, i) => (k.decision === 'not_aligned' ? [] : [i]));
  const decision = usable.length === 0 ? 'not_aligned' : usable.some((i) => learned[i]!.decision === 'guided') ? 'guided' : 'unchanged';
  const shots = usable.length === 0 ? [] : planShots(analysis.shots, usable.map((i, model) => ({ frame: frames[i]!, model })), analysis.histograms);
  const plan: KeyframePlan = { models: usable.map((i) => join(dir, `model-${i}.json`)), shots };
  const planPath = join(dir, 'plan.json');
  await writeFile(planPath, JSON.stringify(plan));
  const atZero = usable.find((i) => frames[i] === 0);
  return { keyframes: learned, shots, usable, decision, planPath, firstRawPath: atZero === undefined ? undefined : join(dir, `image-${atZero}.rgb`) };
}
