/**
 * What a render with keyframes records on its generation: each keyframe's alignment
 * score and what became of it, and which keyframes made each shot.
 */
import type { KeyframeDecision } from '../learn-pair.ts';
import type { KeyframesLearning } from './learn-keyframes.ts';

export interface KeyframeRecord {
  /** As requested: the index in the source's frame grid. */
  frame: number;
  /** The frame of the output it stands at. */
  output_frame: number;
  alignment: { score: number; aligned: boolean };
  /** guided: its look is learned; unchanged: it is the source frame itself; not_aligned: not used. */
  decision: KeyframeDecision;
  /** Its learned mapping applied to its source frame, against the image. */
  keyframe_fit: { ssim: number; delta_e: number };
  /** Its source frame untouched against the image: how much the image changed. */
  image_change: { ssim: number; delta_e: number };
}

export interface ShotRecord {
  /** Output frames `start_frame` to `end_frame` (exclusive) and the same in seconds. */
  start_frame: number;
  end_frame: number;
  start_s: number;
  end_s: number;
  /** The keyframes (their requested `frame`) whose looks make the shot, in time order. */
  keyframes: number[];
  /** True when the shot has no keyframe of its own and took the one whose source frame looks most like it. */
  borrowed: boolean;
}

const round = (v: number): number => Math.round(v * 1000) / 1000;

export function keyframeRecords(learned: KeyframesLearning, fps: number): { keyframes: KeyframeRecord[]; shots: ShotRecord[] } {
  return {
    keyframes: learned.keyframes.map((k) => ({
      frame: k.frame,
      output_frame: k.outputFrame,
      alignment: { score: k.report.alignment.score, aligned: k.report.aligned },
      decision: k.decision,
      keyframe_fit: k.report.keyframe,
      image_change: k.report.change,
    })),
    shots: learned.shots.map((shot) => ({
      start_frame: shot.start,
      end_frame: shot.end,
      start_s: round(shot.start / fps),
      end_s: round(shot.end / fps),
      keyframes: [...new Set(shot.anchors.map((a) => learned.keyframes[learned.usable[a.model]!]!.frame))],
      borrowed: shot.borrowed,
    })),
  };
}

/** How the prompt and the keyframes combined, in words. */
export function keyframesCombination(decision: KeyframeDecision): string {
  if (decision === 'guided') return 'the keyframes decide the look, each for its shot; the prompt\'s style words are not applied';
  if (decision === 'unchanged') return 'the keyframes are their source frames unchanged, so they say nothing about the look: the prompt decides it';
  return 'no keyframe is a restyle of its source frame: the prompt\'s look with the first keyframe\'s colours';
}
