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
 * fill that cache), GUIDED_BASELINES=0 (skip the two baselines while tuning).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workSize } from '../src/engines/local/guided/index.ts';
import type { RgbFrame } from '../src/engines/local/guided/metrics.ts';
import { outputSize } from '../src/engines/local/render-plan.ts';
import { frameIndexes, restylePair, scorePair, sourceFrames, TIMES } from '../test/support/guided-fixtures.ts';
import { evaluationPairs, pairTable, type MeasuredPair } from '../test/support/guided-sets.ts';

type Frames = Map<number, RgbFrame>;

const list = (value: string | undefined): string[] | undefined => value?.split(',').map((s) => s.trim()).filter(Boolean);
const sets = list(process.env.GUIDED_SETS) ?? ['own', 'broad'];
/** Keep decoded and restyled frames here between runs (GUIDED_CACHE), so a rerun only learns and maps. */
const cache = process.env.GUIDED_CACHE;

async function cached(key: string, make: () => Promise<Frames>): Promise<Frames> {
  if (!cache) return make();
  const path = join(cache, `${key}.bin`);
  if (existsSync(path)) {
    const buffer = await readFile(path);
    const header = JSON.parse(buffer.subarray(4, 4 + buffer.readUInt32LE(0)).toString()) as { index: number; width: number; height: number }[];
    let offset = 4 + buffer.readUInt32LE(0);
    const frames: Frames = new Map();
    for (const h of header) {
      const size = h.width * h.height * 3;
      frames.set(h.index, { width: h.width, height: h.height, data: new Uint8Array(buffer.subarray(offset, offset + size)) });
      offset += size;
    }
    return frames;
  }
  const frames = await make();
  const header = Buffer.from(JSON.stringify([...frames].map(([index, f]) => ({ index, width: f.width, height: f.height }))));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  await mkdir(cache, { recursive: true });
  await writeFile(path, Buffer.concat([length, header, ...[...frames.values()].map((f) => Buffer.from(f.data))]));
  return frames;
}

const dir = await mkdtemp(join(tmpdir(), 'retake-guided-quality-'));
try {
  const pairs = await evaluationPairs({ sets, clips: list(process.env.GUIDED_CLIPS), effects: list(process.env.GUIDED_EFFECTS), dir });
  const measured: MeasuredPair[] = [];
  for (const pair of pairs) {
    const output = outputSize(pair.native.width, pair.native.height, 540);
    const work = workSize({ ...output, fps: pair.native.fps, duration: 5, sourceWidth: pair.native.width, sourceHeight: pair.native.height });
    const indexes = [0, ...frameIndexes(pair.native.fps, TIMES)];
    const source = await cached(pair.clip, () => sourceFrames(pair.clipPath, pair.native.fps, work.width, work.height, indexes));
    const truth = await cached(`${pair.clip}-${pair.effectName}-truth`, async () => {
      const { truth, image } = await restylePair({ ...pair, indexes, work, dir, name: `${pair.clip}-${pair.effectName}` });
      return new Map([...truth, [-1, image]]);
    });
    if (process.env.GUIDED_PREPARE === '1') continue;
    const image = truth.get(-1)!;
    const result = scorePair(source, truth, image, { baselines: process.env.GUIDED_BASELINES !== '0' });
    measured.push({ ...pair, result, pixels: work.width * work.height });
    process.stderr.write(`${pair.set} ${pair.clip} ${pair.effectName}: ${result.guided.ssim.toFixed(3)} / ${result.guided.deltaE.toFixed(2)}\n`);
  }
  console.log(pairTable(measured));
} finally {
  await rm(dir, { recursive: true, force: true });
}
