/**
 * Guided-mode quality on a chosen part of the evaluation set, without vitest: the same
 * measurement as test/engine-guided.test.ts, printed as a table with the learning and
 * mapping cost of each pair (CPU-bound milliseconds, scaled to a 960×540 frame).
 *
 *   node bin/run-ts.js bench/guided-quality.ts
 *
 * Knobs: GUIDED_SETS (own,broad; add held for the held-out effects), GUIDED_CLIPS and
 * GUIDED_EFFECTS (comma-separated names; default all of the chosen sets); GUIDED_CACHE (a
 * directory keeping decoded and restyled frames between runs), GUIDED_PREPARE=1 (only
 * fill that cache), GUIDED_BASELINES=0 (skip the two baselines while tuning), GUIDED_MARKS=0
 * (the mapping alone, without the canvas and picture marks of guided/marks/ that the
 * renderer adds after it). Sets:
 * own, broad, held, marks, marks_held (test/support/guided-sets.ts). Figure cells read
 * SSIM-Y / ΔE / TE, the texture figure of guided/marks/texture-error.ts. BENCH_SHORT=1
 * runs two own-set effects on bbb_10s.webm unless those knobs say otherwise.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workSize } from '../src/engines/local/guided/index.ts';
import { outputSize } from '../src/engines/local/render-plan.ts';
import { frameIndexes, restylePair, scorePair, sourceFrames, TIMES } from '../test/support/guided-fixtures.ts';
import { evaluationPairs, pairTable, type MeasuredPair } from '../test/support/guided-sets.ts';
import { cachedFrames } from './lib/guided-cache.ts';
import { guidedChoice } from './lib/short.ts';

/** Keep decoded and restyled frames here between runs (GUIDED_CACHE), so a rerun only learns and maps. */
const cache = process.env.GUIDED_CACHE;

const dir = await mkdtemp(join(tmpdir(), 'retake-guided-quality-'));
try {
  const pairs = await evaluationPairs({ ...guidedChoice(), dir });
  const measured: MeasuredPair[] = [];
  for (const pair of pairs) {
    const output = outputSize(pair.native.width, pair.native.height, 540);
    const work = workSize({ ...output, fps: pair.native.fps, duration: 5, sourceWidth: pair.native.width, sourceHeight: pair.native.height });
    const indexes = [0, ...frameIndexes(pair.native.fps, TIMES)];
    const source = await cachedFrames(cache, pair.clip, () => sourceFrames(pair.clipPath, pair.native.fps, work.width, work.height, indexes));
    const truth = await cachedFrames(cache, `${pair.clip}-${pair.effectName}-truth`, async () => {
      const { truth, image } = await restylePair({ ...pair, indexes, work, dir, name: `${pair.clip}-${pair.effectName}` });
      return new Map([...truth, [-1, image]]);
    });
    if (process.env.GUIDED_PREPARE === '1') continue;
    const image = truth.get(-1)!;
    const result = scorePair(source, truth, image, { baselines: process.env.GUIDED_BASELINES !== '0', marks: process.env.GUIDED_MARKS !== '0' });
    measured.push({ ...pair, result, pixels: work.width * work.height });
    process.stderr.write(`${pair.set} ${pair.clip} ${pair.effectName}: ${result.guided.ssim.toFixed(3)} / ${result.guided.deltaE.toFixed(2)} / TE ${(result.guided.te ?? Number.NaN).toFixed(2)} (untouched ${(result.untouched.te ?? Number.NaN).toFixed(2)})\n`);
  }
  console.log(pairTable(measured));
} finally {
  await rm(dir, { recursive: true, force: true });
}
