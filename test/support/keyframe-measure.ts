/**
 * Keyframes measured on a clip with cuts (cut-clips.ts): one frame near the start of
 * each shot restyled with a known effect is that shot's keyframe, and the same effect on
 * two later frames of every shot is the ground truth. The render is reproduced in
 * process with the engine's own parts: the shots it finds (keyframes/shots.ts), the
 * mapping learned from each pair (learn.ts), the plan (keyframes/schedule.ts) and the
 * per-frame blend (keyframes/plan-mapper.ts). Beside it: one keyframe (the first shot's,
 * as guided mode with input_image), and the two baselines of guided-fixtures.ts.
 */
import { join } from 'node:path';
import { mapByPlan } from '../../src/engines/local/guided/keyframes/plan-mapper.ts';
import { planShots } from '../../src/engines/local/guided/keyframes/schedule.ts';
import { analyseShots } from '../../src/engines/local/guided/keyframes/shots.ts';
import { keyframeDecision } from '../../src/engines/local/guided/learn-pair.ts';
import { learnFromKeyframe } from '../../src/engines/local/guided/learn.ts';
import type { RgbFrame } from '../../src/engines/local/guided/metrics.ts';
import type { GuidedModel } from '../../src/engines/local/guided/model.ts';
import { applyGuidedModel } from '../../src/engines/local/guided/model.ts';
import type { CutClip } from './cut-clips.ts';
import { coverFit, effectFrames, globalTransfer, measurePairs, sourceFrames, writePng, type Effect, type Figures } from './guided-fixtures.ts';

export interface KeyframeScore {
  untouched: Figures;
  global: Figures;
  /** Guided mode with the first shot's keyframe alone. */
  one: Figures;
  /** A keyframe per shot. */
  keyframes: Figures;
  /** The keyframes' figures shot by shot. */
  perShot: Figures[];
  /** Each keyframe's alignment score. */
  alignments: number[];
  /** Shots the engine found. */
  detectedShots: number;
}

/** Where each shot's keyframe stands, and the frames measured: mid-shot and near its end. */
export function keyframePlacement(clip: CutClip): { keyframes: number[]; measured: number[][] } {
  return {
    keyframes: clip.shots.map((s) => s.start + 3),
    measured: clip.shots.map((s) => [s.start + Math.round((s.end - s.start) * 0.45), s.end - 4]),
  };
}

/** Restyle `clip`'s keyframes with `effect` and measure every way of rendering the later frames. */
export async function scoreKeyframes(clip: CutClip, effect: Effect, dir: string, name: string): Promise<KeyframeScore> {
  const { width, height, fps } = clip;
  const { keyframes, measured } = keyframePlacement(clip);
  const all = [...keyframes, ...measured.flat()].sort((a, b) => a - b);
  const seconds = clip.shots.at(-1)!.end / 30 + 1;
  const source = await sourceFrames(clip.path, fps, width, height, all, seconds);
  const truth = await effectFrames(clip.path, fps, { width, height }, effect, all);
  const images: RgbFrame[] = [];
  for (const [i, frame] of keyframes.entries()) {
    await writePng(truth.get(frame)!, join(dir, `${name}-${i}.png`));
    images.push(await coverFit(join(dir, `${name}-${i}.png`), width, height, join(dir, `${name}-${i}.rgb`)));
  }
  const analysis = await analyseShots(clip.path, fps, seconds, { tempDir: dir });
  const learned = keyframes.map((frame, i) => learnFromKeyframe(source.get(frame)!, images[i]!));
  const usable = learned.flatMap((l, i) => (keyframeDecision(l.report) === 'not_aligned' || !l.model ? [] : [i]));
  const models: GuidedModel[] = usable.map((i) => learned[i]!.model!);
  const shots = usable.length > 0 ? planShots(analysis.shots, usable.map((i, model) => ({ frame: keyframes[i]!, model })), analysis.histograms) : [];
  const transfer = globalTransfer(source.get(keyframes[0]!)!, images[0]!);
  const firstModel = learned[0]!.model;

  const frames = measured.flat();
  const truths = frames.map((f) => truth.get(f)!);
  const by = (render: (f: number) => RgbFrame): Figures => measurePairs(frames.map(render), truths);
  const mapped = new Map(frames.map((f) => {
    const frame = source.get(f)!;
    return [f, shots.length > 0 ? { ...frame, data: mapByPlan(shots, (m) => models[m]!, f, frame, 1) } : transfer(frame)];
  }));
  return {
    untouched: by((f) => source.get(f)!),
    global: by((f) => transfer(source.get(f)!)),
    one: by((f) => (firstModel ? { ...source.get(f)!, data: applyGuidedModel(firstModel, source.get(f)!) } : transfer(source.get(f)!))),
    keyframes: by((f) => mapped.get(f)!),
    perShot: measured.map((shotFrames) => measurePairs(shotFrames.map((f) => mapped.get(f)!), shotFrames.map((f) => truth.get(f)!))),
    alignments: learned.map((l) => l.report.alignment.score),
    detectedShots: analysis.shots.length,
  };
}
