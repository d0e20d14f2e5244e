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
import { EFFECTS, FINAL_CHECK_EFFECTS, type Effect, type Figures } from '../test/support/guided-fixtures.ts';
import { DEV_SHOTS, HELD_SHOTS, makeCutClip } from '../test/support/cut-clips.ts';
import { scoreKeyframes, type KeyframeScore } from '../test/support/keyframe-measure.ts';

/**
 * The held-out clip's eight effects, fixed before measuring: the four held-out FFmpeg
 * effects of guided-fixtures.ts and four more in the manner of the held-out ImageMagick
 * ones (solarise, pencil, glow, a painted grade), made with FFmpeg, so the figure needs
 * no ImageMagick.
 */
const HELD_EFFECTS: Record<string, Effect> = {
  ...FINAL_CHECK_EFFECTS,
  solarise: "lutrgb=r='if(gt(val,153),255-val,val)':g='if(gt(val,153),255-val,val)':b='if(gt(val,153),255-val,val)'",
  pencil: 'format=gray,split[a][b];[b]negate,gblur=sigma=4[c];[a][c]blend=all_mode=dodge,format=rgb24',
  glow: 'split[a][b];[b]edgedetect=low=0.1:high=0.3,gblur=sigma=2[e];[a][e]blend=all_mode=screen',
  painted: 'median=radius=2,eq=saturation=1.5:contrast=1.2,unsharp=5:5:1.5',
};
/** The clip looked at while building: the effects guided mode was tuned on. */
const DEV_EFFECTS: Record<string, Effect> = EFFECTS;

const which = process.env.KEYFRAME_CLIP === 'dev' ? 'dev' : 'held';
const chosen = process.env.KEYFRAME_EFFECTS?.split(',');
const effects = Object.entries(which === 'dev' ? DEV_EFFECTS : HELD_EFFECTS).filter(([name]) => !chosen || chosen.includes(name));
const cell = (m: Figures): string => `${m.ssim.toFixed(3)} / ${m.deltaE.toFixed(2)}`;

const dir = await mkdtemp(join(tmpdir(), 'retake-guided-keyframes-'));
try {
  const clip = await makeCutClip(which === 'dev' ? DEV_SHOTS : HELD_SHOTS, dir, `${which}.mp4`);
  const rows: [string, KeyframeScore][] = [];
  const lines = [
    `| clip | effect | untouched source | global colour transfer | one keyframe | a keyframe per shot | worst shot | alignment (min) | shots found |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const [name, effect] of effects) {
    const s = await scoreKeyframes(clip, effect, dir, name);
    rows.push([name, s]);
    const worst = s.perShot.reduce((a, b) => (b.ssim < a.ssim ? b : a));
    lines.push(`| ${which} | ${name} | ${cell(s.untouched)} | ${cell(s.global)} | ${cell(s.one)} | ${cell(s.keyframes)} | ${cell(worst)} | ${Math.min(...s.alignments).toFixed(2)} | ${s.detectedShots} of ${clip.shots.length} |`);
    process.stderr.write(`${lines.at(-1)!}\n`);
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
