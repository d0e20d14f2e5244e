/**
 * The parts of guided mode's evaluation set and the table they print:
 *   own   — the FFmpeg effects the method was tuned on, on the three fixture clips;
 *   broad — ImageMagick stylisers on the fixture clips and four clips made from them;
 *   held  — effects fixed before tuning and measured only for the final check: the
 *           FFmpeg FINAL_CHECK_EFFECTS and HELD_OUT_MAGICK_EFFECTS, on all seven clips;
 *   marks — restyles made of marks, ImageMagick (guided-marks-set.ts), tuned on;
 *   marks_held — restyles made of marks by FFmpeg, held out, on the three fixture clips.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { BROAD_EFFECTS, DERIVED_CLIPS, HELD_OUT_MAGICK_EFFECTS, makeDerivedClip } from './guided-broad-set.ts';
import { HELD_OUT_MARKS_EFFECTS, MARKS_EFFECTS } from './guided-marks-set.ts';
import { CLIPS, EFFECTS, FINAL_CHECK_EFFECTS, type Effect, type Figures, type PairResult } from './guided-fixtures.ts';

const media = fileURLToPath(new URL('../fixtures/media/', import.meta.url));

export type SetName = 'own' | 'broad' | 'held' | 'marks' | 'marks_held';

export interface EvaluationPair {
  set: SetName;
  clip: string;
  clipPath: string;
  native: { width: number; height: number; fps: string };
  effectName: string;
  effect: Effect;
}

export interface MeasuredPair extends EvaluationPair {
  result: PairResult;
  /** Pixels of the working frame, to scale timings to 960×540. */
  pixels: number;
}

const ALL_CLIPS = [...Object.keys(CLIPS), ...Object.keys(DERIVED_CLIPS)];

const SETS: Record<SetName, { clips: readonly string[]; effects: Record<string, Effect> }> = {
  own: { clips: Object.keys(CLIPS), effects: EFFECTS },
  broad: { clips: ALL_CLIPS, effects: BROAD_EFFECTS },
  held: { clips: ALL_CLIPS, effects: { ...FINAL_CHECK_EFFECTS, ...HELD_OUT_MAGICK_EFFECTS } },
  marks: { clips: Object.keys(CLIPS), effects: MARKS_EFFECTS },
  marks_held: { clips: Object.keys(CLIPS), effects: HELD_OUT_MARKS_EFFECTS },
};

/**
 * The pairs of `sets`, optionally only some clips and effects, grouped by clip. Derived
 * clips are written into `dir` when first needed (unless `makeClips` is false, for a
 * caller that only reads cached frames).
 */
export async function evaluationPairs(options: { sets: readonly string[]; clips?: readonly string[] | undefined; effects?: readonly string[] | undefined; dir: string; makeClips?: boolean }): Promise<EvaluationPair[]> {
  const pairs: EvaluationPair[] = [];
  const made = new Map<string, string>();
  for (const clip of ALL_CLIPS) {
    if (options.clips && !options.clips.includes(clip)) continue;
    for (const set of options.sets as SetName[]) {
      const spec = SETS[set];
      if (!spec) throw new Error(`unknown evaluation set ${set}`);
      if (!spec.clips.includes(clip)) continue;
      for (const [effectName, effect] of Object.entries(spec.effects)) {
        if (options.effects && !options.effects.includes(effectName)) continue;
        let clipPath = made.get(clip);
        if (!clipPath) {
          clipPath = clip in DERIVED_CLIPS && options.makeClips !== false ? await makeDerivedClip(media, options.dir, clip as keyof typeof DERIVED_CLIPS) : join(media, clip);
          made.set(clip, clipPath);
        }
        const native = clip in DERIVED_CLIPS ? DERIVED_CLIPS[clip as keyof typeof DERIVED_CLIPS] : CLIPS[clip as keyof typeof CLIPS];
        pairs.push({ set, clip, clipPath, native: { width: native.width, height: native.height, fps: native.fps }, effectName, effect });
      }
    }
  }
  return pairs;
}

const cell = (m: Figures): string => `${m.ssim.toFixed(3)} / ${m.deltaE.toFixed(2)} / ${(m.te ?? Number.NaN).toFixed(2)}`;

/** A Markdown table of the pairs, with the mean of each set and the cost of the mapping. */
export function pairTable(pairs: readonly MeasuredPair[]): string {
  const scale = (ms: number, pixels: number): number => (ms * 960 * 540) / pixels;
  const lines = [
    '| set | clip | effect | untouched source | global colour transfer | guided | keyframe fit | alignment | learn s / map ms (540p) |',
    // Each figure cell: SSIM-Y / ΔE / TE (the keyframe fit's TE is the mapping's alone, before any marks).
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const p of pairs) {
    const r = p.result;
    lines.push(`| ${p.set} | ${p.clip} | ${p.effectName} | ${cell(r.untouched)} | ${cell(r.global)} | ${cell(r.guided)} | ${cell(r.keyframe)} | ${r.alignment.toFixed(2)} | ` +
      `${(scale(r.learnMs, p.pixels) / 1000).toFixed(1)} / ${scale(r.applyMs, p.pixels).toFixed(0)} |`);
  }
  for (const set of ['own', 'broad', 'held', 'marks', 'marks_held'] as const) {
    const of = pairs.filter((p) => p.set === set);
    if (of.length === 0) continue;
    const mean = (pick: (r: PairResult) => Figures): Figures => ({
      ssim: of.reduce((s, p) => s + pick(p.result).ssim, 0) / of.length,
      deltaE: of.reduce((s, p) => s + pick(p.result).deltaE, 0) / of.length,
      te: of.reduce((s, p) => s + (pick(p.result).te ?? Number.NaN), 0) / of.length,
    });
    const learn = of.reduce((s, p) => s + scale(p.result.learnMs, p.pixels), 0) / of.length / 1000;
    const map = of.reduce((s, p) => s + scale(p.result.applyMs, p.pixels), 0) / of.length;
    const alignments = of.map((p) => p.result.alignment);
    lines.push(`| **${set} mean** (${of.length} pairs) | | | ${cell(mean((r) => r.untouched))} | ${cell(mean((r) => r.global))} | ${cell(mean((r) => r.guided))} | ` +
      `${cell(mean((r) => r.keyframe))} | ${Math.min(...alignments).toFixed(2)}–${Math.max(...alignments).toFixed(2)} | ${learn.toFixed(1)} / ${map.toFixed(0)} |`);
  }
  return lines.join('\n');
}
