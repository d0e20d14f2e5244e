/**
 * The alignment margin of guided mode: the score of every restyle in the evaluation
 * set (which must be accepted) next to images that are not restyles of frame 0 (which
 * must fall back): another photo, another clip's frame 0, a flipped restyle, a heavy
 * crop of a restyle.
 *
 *   GUIDED_CACHE=dir node bin/run-ts.js bench/guided-alignment.ts
 *
 * Knobs as bench/guided-quality.ts (GUIDED_SETS, GUIDED_CLIPS, GUIDED_EFFECTS); the
 * restyles come from GUIDED_CACHE, so run that bench with the same cache first (and
 * the same BENCH_SHORT).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alignKeyframe } from '../src/engines/local/guided/learn.ts';
import type { RgbFrame } from '../src/engines/local/guided/metrics.ts';
import { coverFit, writePng } from '../test/support/guided-fixtures.ts';
import { evaluationPairs } from '../test/support/guided-sets.ts';
import { readFrames } from './lib/guided-cache.ts';
import { guidedChoice } from './lib/short.ts';

const media = fileURLToPath(new URL('../test/fixtures/media/', import.meta.url));
const cache = process.env.GUIDED_CACHE;
if (!cache) throw new Error('set GUIDED_CACHE to the cache of bench/guided-quality.ts');

async function cachedFrame(key: string, index: number): Promise<RgbFrame | undefined> {
  return (await readFrames(cache!, key))?.get(index);
}

const flip = (f: RgbFrame): RgbFrame => {
  const data = new Uint8Array(f.data.length);
  for (let y = 0; y < f.height; y++) for (let x = 0; x < f.width; x++) data.set(f.data.subarray((y * f.width + x) * 3, (y * f.width + x) * 3 + 3), (y * f.width + f.width - 1 - x) * 3);
  return { ...f, data };
};
/** The centre half of `f`, enlarged back to its size (a 2× crop). */
const crop = (f: RgbFrame): RgbFrame => {
  const data = new Uint8Array(f.data.length);
  for (let y = 0; y < f.height; y++) {
    for (let x = 0; x < f.width; x++) {
      const sx = Math.floor(f.width / 4 + x / 2), sy = Math.floor(f.height / 4 + y / 2);
      data.set(f.data.subarray((sy * f.width + sx) * 3, (sy * f.width + sx) * 3 + 3), (y * f.width + x) * 3);
    }
  }
  return { ...f, data };
};

const dir = await mkdtemp(join(tmpdir(), 'retake-guided-alignment-'));
try {
  const pairs = await evaluationPairs({ ...guidedChoice(), dir });
  // Rows are printed as they come (a run on every clip takes a while); restyles first.
  console.log(['| kind | clip | image | score | detail R² | mid-detail R² | held-out R² | edges | edges by block | coarse structure | broad structure |', '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |'].join('\n'));
  const restyles = { push: (row: string): void => console.log(row) };
  const others: string[] = [];
  const score = (frame0: RgbFrame, image: RgbFrame): string => {
    const a = alignKeyframe(frame0, image).alignment;
    return `${a.score.toFixed(2)} | ${a.detail.toFixed(2)} | ${a.midDetail.toFixed(2)} | ${a.heldOut.toFixed(2)} | ${a.edgeScore.toFixed(2)} | ${a.blockScore.toFixed(2)} | ${a.structureScore.toFixed(2)} | ${a.broadStructureScore.toFixed(2)}`;
  };
  const clips = [...new Set(pairs.map((p) => p.clip))];
  for (const clip of clips) {
    const frame0 = await cachedFrame(clip, 0);
    if (!frame0) continue;
    for (const pair of pairs.filter((p) => p.clip === clip)) {
      const image = await cachedFrame(`${clip}-${pair.effectName}-truth`, -1);
      if (!image) continue;
      restyles.push(`| restyle | ${clip} | ${pair.effectName} | ${score(frame0, image)} |`);
      if (pair.effectName === 'sepia' || pair.effectName === 'im_outline') {
        others.push(`| flipped restyle | ${clip} | ${pair.effectName} | ${score(frame0, flip(image))} |`);
        others.push(`| 2× crop of a restyle | ${clip} | ${pair.effectName} | ${score(frame0, crop(image))} |`);
      }
    }
    const photo = await coverFit(join(media, 'london.jpg'), frame0.width, frame0.height, join(dir, 'london.rgb'));
    others.push(`| another photo | ${clip} | london.jpg | ${score(frame0, photo)} |`);
    for (const other of clips) {
      const otherFrame = await cachedFrame(other, 0);
      if (other === clip || !otherFrame) continue;
      const png = join(dir, 'other.png');
      await writePng(otherFrame, png);
      others.push(`| another clip's frame 0 | ${clip} | ${other} | ${score(frame0, await coverFit(png, frame0.width, frame0.height, join(dir, 'other.rgb')))} |`);
    }
    process.stderr.write(`${clip} done\n`);
  }
  console.log(others.join('\n'));
} finally {
  await rm(dir, { recursive: true, force: true });
}
