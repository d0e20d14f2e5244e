/**
 * Guided mode with keyframes on clips with scene cuts (test/support/cut-clips.ts): a
 * keyframe restyled near the start of each of nine shots against the truth two later
 * frames of every shot, beside one keyframe (the first shot's) and the two baselines.
 * Prints a Markdown table, one row per effect, and the mean.
 *
 *   node bin/run-ts.js bench/guided-keyframes.ts
 *
 * Knobs: KEYFRAME_CLIP (held, the default and the reported figure, or dev, the clip
 * looked at while building) and KEYFRAME_EFFECTS (comma-separated names).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BROAD_EFFECTS, HELD_OUT_MAGICK_EFFECTS } from '../test/support/guided-broad-set.ts';
import { EFFECTS, FINAL_CHECK_EFFECTS, type Effect, type Figures } from '../test/support/guided-fixtures.ts';
import { DEV_SHOTS, HELD_SHOTS, makeCutClip } from '../test/support/cut-clips.ts';
import { scoreKeyframes, type KeyframeScore } from '../test/support/keyframe-measure.ts';

/** The held-out clip's eight effects (four FFmpeg, four ImageMagick), fixed before measuring. */
const HELD_EFFECTS: Record<string, Effect> = {
  ...FINAL_CHECK_EFFECTS,
  im_kuwahara: HELD_OUT_MAGICK_EFFECTS.im_kuwahara!, im_solarize: HELD_OUT_MAGICK_EFFECTS.im_solarize!,
  im_pencil: HELD_OUT_MAGICK_EFFECTS.im_pencil!, im_glow: HELD_OUT_MAGICK_EFFECTS.im_glow!,
};
const DEV_EFFECTS: Record<string, Effect> = { ...EFFECTS, im_oil: BROAD_EFFECTS.im_oil!, im_edge: BROAD_EFFECTS.im_edge! };

const which = process.env.KEYFRAME_CLIP === 'dev' ? 'dev' : 'held';
const chosen = process.env.KEYFRAME_EFFECTS?.split(',');
const effects = Object.entries(which === 'dev' ? DEV_EFFECTS : HELD_EFFECTS).filter(([name]) => !chosen || chosen.includes(name));
const cell = (m: Figures): string => `${m.ssim.toFixed(3)} / ${m.deltaE.toFixed(2)}`;

const dir = await mkdtemp(join(tmpdir(), 'retake-guided-keyframes-'));
try {
  const clip = await makeCutClip(which === 'dev' ? DEV_SHOTS : HELD_SHOTS, dir, `${which}.mp4`);
  const rows: [string, KeyframeScore][] = [];
  for (const [name, effect] of effects) {
    const score = await scoreKeyframes(clip, effect, dir, name);
    rows.push([name, score]);
    process.stderr.write(`${which} ${name}: ${cell(score.keyframes)} (one keyframe ${cell(score.one)})\n`);
  }
  const lines = [
    `| clip | effect | untouched source | global colour transfer | one keyframe | a keyframe per shot | worst shot | alignment (min) | shots found |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const [name, s] of rows) {
    const worst = s.perShot.reduce((a, b) => (b.ssim < a.ssim ? b : a));
    lines.push(`| ${which} | ${name} | ${cell(s.untouched)} | ${cell(s.global)} | ${cell(s.one)} | ${cell(s.keyframes)} | ${cell(worst)} | ${Math.min(...s.alignments).toFixed(2)} | ${s.detectedShots} of ${clip.shots.length} |`);
  }
  const mean = (pick: (s: KeyframeScore) => Figures): Figures => ({
    ssim: rows.reduce((a, [, s]) => a + pick(s).ssim, 0) / rows.length,
    deltaE: rows.reduce((a, [, s]) => a + pick(s).deltaE, 0) / rows.length,
  });
  lines.push(`| **${which}: mean of ${rows.length}** | | ${cell(mean((s) => s.untouched))} | ${cell(mean((s) => s.global))} | ${cell(mean((s) => s.one))} | **${cell(mean((s) => s.keyframes))}** | | | |`);
  console.log(lines.join('\n'));
} finally {
  await rm(dir, { recursive: true, force: true });
}
