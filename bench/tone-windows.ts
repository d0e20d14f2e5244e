/**
 * The tone window of every look (`npm run bench:tone-windows`): the range of input
 * luma a look keeps apart. Flat grey frames at LEVELS levels go through each look at
 * the default intensity; the output's mean luma over the centre of the frame (away
 * from vignettes and borders) gives the look's tone curve, and the window is the
 * widest run of levels around the middle where the curve's slope, taken over ±SPAN
 * levels (so a posterising staircase counts by its average rise), stays at or above
 * MIN_SLOPE (of the look's own mean slope, when the look compresses the whole range
 * as pastel does, so that an even compression is not taken for crushing) and whose output
 * stays between BLACK and WHITE. Below the window the look
 * crushes to black, above it blanks to white.
 * Prints the windows as the table in src/engines/local/tone-windows.ts wants them.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { LookSpec } from '../src/engines/local/look-filters.ts';
import { lookFrames } from '../src/engines/local/marks/look-frames.ts';
import { interpretPrompt } from '../src/engines/local/prompt-to-look.ts';
import { LOOK_STYLES } from '../src/engines/local/vocabulary.ts';
import { LOOK_PROMPTS } from '../scripts/lib/look-prompts.ts';

const run = promisify(execFile);
const LEVELS = 33;
const SPAN = 3;
const MIN_SLOPE = 0.3;
/** Output levels at or beyond these read as solid black or paper white. */
const BLACK = 0.06, WHITE = 0.94;
const W = 480, H = 270;

/** A lossless clip of the flat levels, one a second. */
async function levelsClip(dir: string): Promise<string> {
  const path = join(dir, 'levels.mkv');
  const source = `nullsrc=s=${W}x${H}:r=1:d=${LEVELS},format=gray,geq=lum='min(255,N*255/${LEVELS - 1})',format=yuv444p`;
  await run('ffmpeg', ['-hide_banner', '-v', 'error', '-f', 'lavfi', '-i', source, '-c:v', 'ffv1', '-y', path]);
  return path;
}

/** Mean output luma (0..1) over the centre of each flat input level, rendered as a render renders the look (marks step included). */
async function curve(look: LookSpec, clip: string): Promise<number[]> {
  const frames = await lookFrames({ sourcePath: clip, look, width: W, height: H, frames: LEVELS, fps: 1 });
  const levels: number[] = [];
  for (const { data } of frames) {
    let sum = 0, count = 0;
    for (let y = Math.floor(H * 0.35); y < H * 0.65; y++) {
      for (let x = Math.floor(W * 0.35); x < W * 0.65; x++) {
        const i = (y * W + x) * 3;
        sum += 0.2126 * data[i]! + 0.7152 * data[i + 1]! + 0.0722 * data[i + 2]!;
        count++;
      }
    }
    levels.push(sum / count / 255);
  }
  return levels;
}

/** The widest run of levels around the middle whose slope is at least MIN_SLOPE (of the look's own, when below 1). */
function window(levels: number[]): [number, number] {
  const minSlope = MIN_SLOPE * Math.min(1, Math.max(0.1, levels[LEVELS - 1]! - levels[0]!));
  const slope = (i: number): number => {
    const a = Math.max(0, i - SPAN), b = Math.min(LEVELS - 1, i + SPAN);
    return (levels[b]! - levels[a]!) / ((b - a) / (LEVELS - 1));
  };
  const mid = Math.floor(LEVELS / 2);
  let lo = mid, hi = mid;
  const kept = (i: number): boolean => slope(i) >= minSlope && levels[i]! >= BLACK && levels[i]! <= WHITE;
  while (lo > 0 && kept(lo - 1)) lo--;
  while (hi < LEVELS - 1 && kept(hi + 1)) hi++;
  return [lo / (LEVELS - 1), hi / (LEVELS - 1)];
}

const dir = await mkdtemp(join(tmpdir(), 'retake-tone-windows-'));
try {
  console.log(`tone window per look: input levels kept apart (slope ≥ ${MIN_SLOPE}, output within ${BLACK}..${WHITE}), and the curve at 0, ¼, ½, ¾, 1`);
  const clip = await levelsClip(dir);
  // `npm run bench:tone-windows -- noir sepia` measures only the looks named.
  const named = process.argv.slice(2);
  for (const style of LOOK_STYLES.filter((s) => named.length === 0 || named.includes(s))) {
    const look = await interpretPrompt(LOOK_PROMPTS[style]);
    const levels = await curve(look, clip);
    const [lo, hi] = window(levels);
    const at = [0, 0.25, 0.5, 0.75, 1].map((q) => levels[Math.round(q * (LEVELS - 1))]!.toFixed(2)).join(' ');
    console.log(`  ${style}: [${lo.toFixed(2)}, ${hi.toFixed(2)}],  // ${at}`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
