/**
 * Which keyframe's mapping serves which frame. Every shot gets anchors: its own
 * keyframes (a keyframe speaks for the shot it sits in), or, when it has none, the one
 * keyframe whose source frame looks most like the shot. Before its first anchor and
 * after its last a frame takes that anchor's mapping; between two anchors the mapping
 * of the nearer one, with a crossfade of their two predictions over the middle of the
 * gap, so a look that changes from one keyframe to the next changes smoothly and
 * nothing jumps at a keyframe. Nothing blends across a cut: anchors belong to a shot.
 *
 * Why the crossfade covers only the middle of the gap: a frame in it costs two
 * predictions, and a render with keyframes must stay within 1.3× the time of one with
 * a single keyframe. With BLEND_SHARE of 0.2, even a clip where every frame lies between
 * two keyframes maps at most a fifth of its frames twice. Pure, so unit-tested.
 */
import { histogramDistance, shotHistogram, type Shot } from './shots.ts';

/** Share of the gap between two anchors, around its middle, over which their predictions crossfade. */
export const BLEND_SHARE = 0.2;

export interface Anchor {
  /** Output frame index the keyframe stands at (for a borrowed keyframe: the shot's first frame). */
  frame: number;
  /** Which model (index into the plan's models). */
  model: number;
}

export interface PlannedShot extends Shot {
  anchors: Anchor[];
  /** The keyframe came from another shot, chosen by likeness. */
  borrowed: boolean;
}

export interface UsableKeyframe {
  /** Output frame index. */
  frame: number;
  /** Its model's index. */
  model: number;
}

/**
 * Plan `shots` for the usable keyframes (at least one). `histograms` are the frames'
 * colour histograms (shots.ts).
 */
export function planShots(shots: readonly Shot[], keyframes: readonly UsableKeyframe[], histograms: readonly Float32Array[]): PlannedShot[] {
  if (keyframes.length === 0) throw new Error('planShots needs at least one keyframe');
  const sorted = [...keyframes].sort((a, b) => a.frame - b.frame);
  return shots.map((shot, index) => {
    const last = index === shots.length - 1;
    // Two keyframes at one output frame (a source faster than the output): the first speaks.
    const own = sorted.filter((k, i) => k.frame >= shot.start && (k.frame < shot.end || last) && sorted[i - 1]?.frame !== k.frame);
    if (own.length > 0) return { ...shot, anchors: own.map(({ frame, model }) => ({ frame, model })), borrowed: false };
    const signature = shotHistogram(histograms, shot);
    let best = sorted[0]!, bestDistance = Infinity;
    for (const k of sorted) {
      const d = histogramDistance(signature, histograms[Math.min(histograms.length - 1, k.frame)] ?? signature);
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return { ...shot, anchors: [{ frame: shot.start, model: best.model }], borrowed: true };
  });
}

export interface Blend {
  model: number;
  weight: number;
}

/** The shot holding `frame` (the last shot holds everything after it). */
function shotAt(shots: readonly PlannedShot[], frame: number): PlannedShot {
  let lo = 0, hi = shots.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (shots[mid]!.start <= frame) lo = mid;
    else hi = mid - 1;
  }
  return shots[lo]!;
}

/** The models, with weights summing to 1, whose predictions make output frame `frame`. */
export function blendAt(shots: readonly PlannedShot[], frame: number): Blend[] {
  const { anchors } = shotAt(shots, frame);
  const next = anchors.findIndex((a) => a.frame > frame);
  if (next <= 0) return [{ model: anchors[next === 0 ? 0 : anchors.length - 1]!.model, weight: 1 }];
  const a = anchors[next - 1]!, b = anchors[next]!;
  if (a.model === b.model) return [{ model: a.model, weight: 1 }];
  const t = (frame - a.frame) / (b.frame - a.frame);
  const toB = Math.min(1, Math.max(0, (t - (1 - BLEND_SHARE) / 2) / BLEND_SHARE));
  if (toB === 0) return [{ model: a.model, weight: 1 }];
  if (toB === 1) return [{ model: b.model, weight: 1 }];
  return [{ model: a.model, weight: 1 - toB }, { model: b.model, weight: toB }];
}
