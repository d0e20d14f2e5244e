/**
 * Guided mode (input_image) measured as issue 8 asks: for 3 clips × 6 effects, frame 0
 * restyled with a known FFmpeg effect is the image, and the same effect on the frames
 * at 1–4 s is the ground truth. The learned mapping must beat both baselines — the
 * untouched source and a global colour transfer — on SSIM-Y and on ΔE, for every
 * pair. The mapping runs here on frames decoded by the renderer's own decoder, learned
 * by the same code the child runs (full renders of all 18 pairs would take minutes);
 * test/engine-guided-render.test.ts shows full renders land on the same figures.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelStats, transferMaps } from '../src/engines/local/colour-transfer.ts';
import { workSize } from '../src/engines/local/guided/index.ts';
import { learnFromKeyframe } from '../src/engines/local/guided/learn.ts';
import type { RgbFrame } from '../src/engines/local/guided/metrics.ts';
import { applyGuidedModel } from '../src/engines/local/guided/model.ts';
import { outputSize } from '../src/engines/local/render-plan.ts';
import {
  CLIPS, coverFit, EFFECTS, effectFrames, FINAL_CHECK_EFFECTS, frameIndexes, measurePairs, sourceFrames, TIMES, writePng,
} from './support/guided-fixtures.ts';

const media = fileURLToPath(new URL('./fixtures/media/', import.meta.url));
const effects: Record<string, string> = process.env.GUIDED_ALL ? { ...EFFECTS, ...FINAL_CHECK_EFFECTS } : EFFECTS;
let root: string;
const rows: string[] = [];
const totals = { untouched: [0, 0], global: [0, 0], guided: [0, 0], n: 0 };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'retake-guided-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  const n = totals.n;
  const f = ([s, e]: number[]): string => `${(s! / n).toFixed(3)} / ${(e! / n).toFixed(2)}`;
  console.log([
    '| clip | effect | untouched | global colour transfer | guided | keyframe fit |', '| --- | --- | --- | --- | --- | --- |', ...rows,
    `| **mean** | | ${f(totals.untouched)} | ${f(totals.global)} | ${f(totals.guided)} | |`,
  ].join('\n'));
});

/** Today's global colour transfer: each channel's mean and spread moved onto the image's. */
function globalTransfer(frame0: RgbFrame, image: RgbFrame): (frame: RgbFrame) => RgbFrame {
  const maps = transferMaps(channelStats([Buffer.from(frame0.data)], 3), channelStats([Buffer.from(image.data)], 3));
  return (frame) => {
    const data = new Uint8Array(frame.data.length);
    for (let i = 0; i < data.length; i++) {
      const [gain, offset] = maps[i % 3]!;
      data[i] = Math.max(0, Math.min(255, Math.round(frame.data[i]! * gain + offset)));
    }
    return { ...frame, data };
  };
}

for (const [clip, native] of Object.entries(CLIPS)) {
  describe(`guided mode on ${clip}`, () => {
    const output = outputSize(native.width, native.height, 540);
    const work = workSize({ ...output, fps: native.fps, duration: 5, sourceWidth: native.width, sourceHeight: native.height });
    const indexes = [0, ...frameIndexes(native.fps, TIMES)];
    let source: Map<number, RgbFrame>;

    beforeAll(async () => {
      source = await sourceFrames(join(media, clip), native.fps, work.width, work.height, indexes);
    });

    for (const [name, effect] of Object.entries(effects)) {
      it(`carries ${name} from frame 0 to the frames at 1–4 s better than both baselines`, async () => {
        const truth = await effectFrames(join(media, clip), native.fps, native, effect, indexes);
        const png = join(root, `${clip}-${name}.png`);
        await writePng(truth.get(0)!, png);
        const image = await coverFit(png, work.width, work.height, join(root, `${clip}-${name}.rgb`));
        const frame0 = source.get(0)!;
        const { report, model } = learnFromKeyframe(frame0, image);
        expect(report.aligned).toBe(true);
        const later = indexes.slice(1);
        const truths = later.map((i) => truth.get(i)!);
        const transfer = globalTransfer(frame0, image);
        const untouched = measurePairs(later.map((i) => source.get(i)!), truths);
        const global = measurePairs(later.map((i) => transfer(source.get(i)!)), truths);
        const guided = measurePairs(later.map((i) => ({ ...work, data: applyGuidedModel(model!, source.get(i)!) })), truths);
        const cell = (m: { ssim: number; deltaE: number }): string => `${m.ssim.toFixed(3)} / ${m.deltaE.toFixed(2)}`;
        rows.push(`| ${clip} | ${name} | ${cell(untouched)} | ${cell(global)} | ${cell(guided)} | ${report.keyframe.ssim.toFixed(3)} / ${report.keyframe.delta_e.toFixed(2)} |`);
        totals.untouched[0]! += untouched.ssim; totals.untouched[1]! += untouched.deltaE;
        totals.global[0]! += global.ssim; totals.global[1]! += global.deltaE;
        totals.guided[0]! += guided.ssim; totals.guided[1]! += guided.deltaE;
        totals.n++;
        expect(guided.ssim).toBeGreaterThan(untouched.ssim);
        expect(guided.ssim).toBeGreaterThan(global.ssim);
        expect(guided.deltaE).toBeLessThan(untouched.deltaE);
        expect(guided.deltaE).toBeLessThan(global.deltaE);
      }, 120_000);
    }
  });
}
