/**
 * auto_controls: per-frame differences of the source → scene cuts and a per-segment
 * edit-strength schedule. Fast motion gets a gentler level (strong looks on fast motion
 * shimmer), still shots a stronger one; every cut starts a new segment so a level never
 * leaks across a shot change. Pure, so the rules are unit-tested without FFmpeg.
 */
import { EDIT_STRENGTHS, type EditStrength } from '../../models/request.ts';
import { DEFAULT_EDIT_STRENGTH } from './strength.ts';

export interface ScheduleSegment {
  /** Seconds from the start of the output. */
  start_s: number;
  end_s: number;
  edit_strength: EditStrength;
  /** Mean absolute luma change between consecutive frames (0..255, on small frames). */
  motion: number;
  /** Whether the segment begins at a scene cut. */
  after_cut: boolean;
}

export interface StrengthSchedule {
  /** Seconds at which a new shot starts. */
  cuts_s: number[];
  segments: ScheduleSegment[];
}

export interface ScheduleOptions {
  /** Frames per second of the analysed differences. */
  fps: number;
  /** Output length, seconds. */
  duration: number;
  /** Windows inside a shot, seconds; a long shot can change level between them. Default 1. */
  windowS?: number;
}

/** A difference this many times the local median (and above CUT_FLOOR) is a cut. */
const CUT_RATIO = 4;
const CUT_FLOOR = 20;
const NEIGHBOURS = 5;

/** Motion (per-frame mean abs difference) → steps from the default level. */
function levelShift(motion: number): number {
  if (motion < 1) return 1;
  if (motion < 3) return 0;
  if (motion < 6) return -1;
  return -2;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * Mean absolute luma difference of consecutive frames (RGB with `channels` 3, grey
 * with 1; 0..255): diffs[i] compares frames i and i + 1. The signal every cut rule reads.
 */
export function lumaDiffs(frames: readonly Uint8Array[], channels: 1 | 3): number[] {
  const luma = (f: Uint8Array, p: number): number => (channels === 1 ? f[p]! : 0.299 * f[p]! + 0.587 * f[p + 1]! + 0.114 * f[p + 2]!);
  const diffs: number[] = [];
  for (let i = 1; i < frames.length; i++) {
    const a = frames[i]!, b = frames[i - 1]!;
    let sum = 0;
    for (let p = 0; p + channels <= a.length; p += channels) sum += Math.abs(luma(a, p) - luma(b, p));
    diffs.push(sum / (a.length / channels));
  }
  return diffs;
}

/**
 * Indexes `i` of `diffs` (difference between frame i and i+1) that are scene cuts:
 * far above both an absolute floor and the motion around them.
 */
export function findCuts(diffs: readonly number[]): number[] {
  const cuts: number[] = [];
  diffs.forEach((d, i) => {
    const around = [...diffs.slice(Math.max(0, i - NEIGHBOURS), i), ...diffs.slice(i + 1, i + 1 + NEIGHBOURS)];
    if (d > CUT_FLOOR && d > CUT_RATIO * Math.max(1, median(around))) cuts.push(i);
  });
  return cuts;
}

/**
 * The schedule for differences `diffs` (diffs[i] between frames i and i+1). Segments
 * cover 0..duration in order; neighbouring windows of one shot with the same level merge.
 */
export function planSchedule(diffs: readonly number[], options: ScheduleOptions): StrengthSchedule {
  const { fps, duration } = options;
  const windowFrames = Math.max(1, Math.round((options.windowS ?? 1) * fps));
  const frameCount = Math.max(1, Math.min(diffs.length + 1, Math.round(duration * fps)));
  const cutFrames = findCuts(diffs).map((i) => i + 1).filter((f) => f < frameCount);
  const base = EDIT_STRENGTHS.indexOf(DEFAULT_EDIT_STRENGTH);
  const segments: ScheduleSegment[] = [];
  const bounds = [0, ...cutFrames, frameCount];
  for (let s = 0; s + 1 < bounds.length; s++) {
    const shotStart = bounds[s] as number;
    const shotEnd = bounds[s + 1] as number;
    for (let from = shotStart; from < shotEnd; from += windowFrames) {
      // A short tail joins the window before it rather than standing alone.
      const to = shotEnd - (from + windowFrames) < windowFrames / 2 ? shotEnd : Math.min(shotEnd, from + windowFrames);
      // Differences inside the window only: the jump across the cut is not motion.
      const inside = diffs.slice(from, Math.max(from + 1, to - 1));
      const motion = inside.length > 0 ? inside.reduce((a, b) => a + b, 0) / inside.length : 0;
      const level = Math.min(EDIT_STRENGTHS.length - 1, Math.max(0, base + levelShift(motion)));
      const strength = EDIT_STRENGTHS[level] ?? DEFAULT_EDIT_STRENGTH;
      const previous = segments.at(-1);
      const start_s = round(from / fps);
      const end_s = to === frameCount ? round(duration) : round(to / fps);
      if (previous && from !== shotStart && previous.edit_strength === strength) {
        previous.motion = round((previous.motion + motion) / 2);
        previous.end_s = end_s;
      } else {
        segments.push({ start_s, end_s, edit_strength: strength, motion: round(motion), after_cut: from === shotStart && from > 0 });
      }
      if (to === shotEnd) break;
    }
  }
  return { cuts_s: cutFrames.map((f) => round(f / fps)), segments };
}

const round = (value: number): number => Math.round(value * 1000) / 1000;
