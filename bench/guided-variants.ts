/**
 * Compare fit options of guided mode on cached pairs of bench/guided-quality.ts:
 * GUIDED_VARIANTS is a JSON list of FitOptions; prints guided SSIM-Y / ΔE per pair
 * and variant, and the means. GUIDED_CACHE, GUIDED_SETS, GUIDED_CLIPS, GUIDED_EFFECTS and
 * BENCH_SHORT as there.
 */
import { performance } from 'node:perf_hooks';
import { learnFromKeyframe } from '../src/engines/local/guided/learn.ts';
import { applyGuidedModel, type FitOptions } from '../src/engines/local/guided/model.ts';
import { measurePairs } from '../test/support/guided-fixtures.ts';
import { evaluationPairs } from '../test/support/guided-sets.ts';
import { readFrames } from './lib/guided-cache.ts';
import { guidedChoice } from './lib/short.ts';

const cache = process.env.GUIDED_CACHE;
if (!cache) throw new Error('set GUIDED_CACHE to the cache of bench/guided-quality.ts');
const variants = JSON.parse(process.env.GUIDED_VARIANTS ?? '[{}]') as FitOptions[];
const load = (key: string) => readFrames(cache, key);

const pairs = await evaluationPairs({ ...guidedChoice(), dir: '', makeClips: false });
const sums = variants.map(() => ({ ssim: 0, deltaE: 0, n: 0, learn: 0, apply: 0 }));
for (const pair of pairs) {
  const source = await load(pair.clip);
  const truth = await load(`${pair.clip}-${pair.effectName}-truth`);
  if (!source || !truth) continue;
  const indexes = [...source.keys()].sort((a, b) => a - b).slice(1);
  const cells: string[] = [];
  variants.forEach((variant, v) => {
    let t = performance.now();
    const { model } = learnFromKeyframe(source.get(0)!, truth.get(-1)!, variant);
    const learn = performance.now() - t;
    t = performance.now();
    const mapped = indexes.map((i) => ({ ...source.get(i)!, data: applyGuidedModel(model!, source.get(i)!) }));
    const apply = (performance.now() - t) / indexes.length;
    const m = measurePairs(mapped, indexes.map((i) => truth.get(i)!));
    const scale = (960 * 540) / (source.get(0)!.width * source.get(0)!.height);
    sums[v]!.ssim += m.ssim; sums[v]!.deltaE += m.deltaE; sums[v]!.n++; sums[v]!.learn += learn * scale; sums[v]!.apply += apply * scale;
    cells.push(`${m.ssim.toFixed(3)} / ${m.deltaE.toFixed(2)}`);
  });
  console.log(`| ${pair.set} | ${pair.clip} | ${pair.effectName} | ${cells.join(' | ')} |`);
}
console.log(`| **mean** | | | ${sums.map((s) => `${(s.ssim / s.n).toFixed(3)} / ${(s.deltaE / s.n).toFixed(2)} (${(s.learn / s.n / 1000).toFixed(1)} s, ${(s.apply / s.n).toFixed(0)} ms)`).join(' | ')} |`);
