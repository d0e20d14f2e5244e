/**
 * The tone window of every look (`npm run bench:tone-windows`): the range of input
 * luma a look keeps apart. Flat grey frames at LEVELS levels go through each look at
 * the default intensity; the output's mean luma over the centre of the frame (away
 * from vignettes and borders) gives the look's tone curve, and the window is the
 * widest run of levels around the middle where the curve's slope, taken over ±SPAN
 * levels (so a posterising staircase counts by its average rise), stays at or above
 * MIN_SLOPE and whose output stays between BLACK and WHITE. Below the window the look
 * crushes to black, above it blanks to white.
 * Prints the windows as the table in src/engines/local/tone-windows.ts wants them.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { lookGraph } from '../src/engines/local/look-filters.ts';
import { interpretPrompt } from '../src/engines/local/prompt-to-look.ts';
import { lookIntensity } from '../src/engines/local/strength.ts';
import { LOOK_STYLES } from '../src/engines/local/vocabulary.ts';
import { LOOK_PROMPTS } from '../scripts/lib/look-prompts.ts';

const run = promisify(execFile);
const LEVELS = 33;
const SPAN = 3;
const MIN_SLOPE = 0.3;
/** Output levels at or beyond these read as solid black or paper white. */
const BLACK = 0.06, WHITE = 0.94;
const W = 480, H = 270;

/** Mean output luma (0..1) over the centre of each flat input level. */
async function curve(graph: string, dir: string): Promise<number[]> {
  const out = join(dir, 'curve.raw');
  const source = `nullsrc=s=${W}x${H}:r=1:d=${LEVELS},format=gray,geq=lum='min(255,N*255/${LEVELS - 1})',format=yuv420p[src]`;
  await run('ffmpeg', ['-hide_banner', '-v', 'error', '-filter_complex', `${source};${graph};[v]format=gray[o]`, '-map', '[o]', '-f', 'rawvideo', '-y', out]);
  const data = await readFile(out);
  const levels: number[] = [];
  for (let f = 0; f < LEVELS; f++) {
    let sum = 0, count = 0;
    for (let y = Math.floor(H * 0.35); y < H * 0.65; y++) {
      for (let x = Math.floor(W * 0.35); x < W * 0.65; x++) { sum += data[f * W * H + y * W + x]!; count++; }
    }
    levels.push(sum / count / 255);
  }
  return levels;
}

/** The widest run of levels around the middle whose slope is at least MIN_SLOPE. */
function window(levels: number[]): [number, number] {
  const slope = (i: number): number => {
    const a = Math.max(0, i - SPAN), b = Math.min(LEVELS - 1, i + SPAN);
    return (levels[b]! - levels[a]!) / ((b - a) / (LEVELS - 1));
  };
  const mid = Math.floor(LEVELS / 2);
  let lo = mid, hi = mid;
  const kept = (i: number): boolean => slope(i) >= MIN_SLOPE && levels[i]! >= BLACK && levels[i]! <= WHITE;
  while (lo > 0 && kept(lo - 1)) lo--;
  while (hi < LEVELS - 1 && kept(hi + 1)) hi++;
  return [lo / (LEVELS - 1), hi / (LEVELS - 1)];
}

const dir = await mkdtemp(join(tmpdir(), 'retake-tone-windows-'));
try {
  console.log(`tone window per look: input levels kept apart (slope ≥ ${MIN_SLOPE}, output within ${BLACK}..${WHITE}), and the curve at 0, ¼, ½, ¾, 1`);
  for (const style of LOOK_STYLES) {
    const look = await interpretPrompt(LOOK_PROMPTS[style]);
    const graph = lookGraph(look, lookIntensity(undefined, look.modifiers), { width: W, height: H }, { input: 'src', output: 'v', prefix: 'w' });
    const levels = await curve(graph, dir);
    const [lo, hi] = window(levels);
    const at = [0, 0.25, 0.5, 0.75, 1].map((q) => levels[Math.round(q * (LEVELS - 1))]!.toFixed(2)).join(' ');
    console.log(`  ${style}: [${lo.toFixed(2)}, ${hi.toFixed(2)}],  // ${at}`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
