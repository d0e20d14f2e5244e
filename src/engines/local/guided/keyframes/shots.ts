/**
 * The shots of a source, for keyframes: where the scene cuts are (the same rule as
 * auto_controls, strength-schedule.ts) and a colour signature of every frame, so a
 * shot without a keyframe of its own can take the keyframe whose source frame looks
 * most like it. Frames are read tiny (32×18), at the frame rate the renderer decodes
 * at, so frame i here is frame i of the guided decoder.
 */
import { readFrames } from '../../frame-reader.ts';
import type { AnalysisOptions } from '../../source-analysis.ts';
import { findCuts, lumaDiffs } from '../../strength-schedule.ts';

const THUMB_WIDTH = 32;
const THUMB_HEIGHT = 18;
/** Bins per channel of the joint colour histogram (4³ = 64 bins). */
const BINS = 4;

/** Frames `start` (inclusive) to `end` (exclusive) of the decoded clip. */
export interface Shot {
  start: number;
  end: number;
}

export interface ShotAnalysis {
  /** Frames decoded. */
  frames: number;
  shots: Shot[];
  /** One normalised colour histogram per frame. */
  histograms: Float32Array[];
}

/** The joint RGB histogram of one thumbnail, summing to 1. */
export function colourHistogram(rgb: Uint8Array): Float32Array {
  const histogram = new Float32Array(BINS ** 3);
  const pixels = rgb.length / 3;
  const bin = (v: number): number => Math.min(BINS - 1, Math.floor((v * BINS) / 256));
  for (let p = 0; p < rgb.length; p += 3) histogram[(bin(rgb[p]!) * BINS + bin(rgb[p + 1]!)) * BINS + bin(rgb[p + 2]!)]! += 1 / pixels;
  return histogram;
}

/** L1 distance of two histograms: 0 (same colours) to 2 (none in common). */
export function histogramDistance(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum;
}

/** The mean histogram of frames `shot.start` to `shot.end`. */
export function shotHistogram(histograms: readonly Float32Array[], shot: Shot): Float32Array {
  const mean = new Float32Array(BINS ** 3);
  const count = Math.max(1, shot.end - shot.start);
  for (let f = shot.start; f < shot.end; f++) histograms[f]?.forEach((v, i) => (mean[i]! += v / count));
  return mean;
}

/** Shots from consecutive-frame differences: a new shot starts after each cut. */
export function shotsFromDiffs(diffs: readonly number[], frames: number): Shot[] {
  const starts = [0, ...findCuts(diffs).map((i) => i + 1).filter((f) => f < frames)];
  return starts.map((start, i) => ({ start, end: starts[i + 1] ?? frames }));
}

/** Read `path` as the guided decoder does (at `fps`, `seconds` long) and find its shots. */
export async function analyseShots(path: string, fps: string, seconds: number, options: AnalysisOptions & { toSdr?: string | undefined }): Promise<ShotAnalysis> {
  const graph = `[0:v]fps=${fps}${options.toSdr ? `,${options.toSdr}` : ''}[v]`;
  const { frames } = await readFrames({ ...options, input: path, seconds, graph, width: THUMB_WIDTH, height: THUMB_HEIGHT, pixFmt: 'rgb24' });
  return {
    frames: frames.length,
    shots: shotsFromDiffs(lumaDiffs(frames, 3), frames.length),
    histograms: frames.map((frame) => colourHistogram(frame)),
  };
}
