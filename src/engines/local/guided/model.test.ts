import { describe, expect, it } from 'vitest';
import { applyColourLut, applyToneCurves } from './colour-lut.ts';
import { computePlanes, CURVE_FEATURE, FEATURES, gatherFeatures, LUT_FEATURE } from './features.ts';
import { compareFrames } from './metrics.ts';
import { applyGuidedModel, bucketOf, fitGuidedModel, stageOne } from './model.ts';
import { mapPixels, relief, textureFrame } from './test-frames.ts';

describe('guided model', () => {
  const frame0 = textureFrame(120, 80);
  // The "later frame": the same world moved by a camera pan.
  const later = textureFrame(120, 80, 17, 9);

  it('learns a colour grade on frame 0 and reproduces it on a later frame', () => {
    const sepia = (r: number, g: number, b: number): [number, number, number] =>
      [0.393 * r + 0.769 * g + 0.189 * b, 0.349 * r + 0.686 * g + 0.168 * b, 0.272 * r + 0.534 * g + 0.131 * b];
    const model = fitGuidedModel(frame0, mapPixels(frame0, sepia));
    const out = { ...later, data: applyGuidedModel(model, later) };
    const truth = mapPixels(later, sepia);
    const { ssim, deltaE } = compareFrames(out, truth);
    expect(ssim).toBeGreaterThan(0.97);
    expect(deltaE).toBeLessThan(2);
  });

  it('learns a relief (a spatial effect) and carries it to a later frame', () => {
    const model = fitGuidedModel(frame0, relief(frame0));
    const out = { ...later, data: applyGuidedModel(model, later) };
    const mapped = compareFrames(out, relief(later));
    const untouched = compareFrames(later, relief(later));
    expect(mapped.ssim).toBeGreaterThan(0.85);
    expect(mapped.ssim).toBeGreaterThan(untouched.ssim + 0.3);
    expect(mapped.deltaE).toBeLessThan(untouched.deltaE / 4);
  });

  it('computes in its first stage\'s hot loop exactly what the feature definition says', () => {
    const model = fitGuidedModel(frame0, relief(frame0));
    const fast = stageOne(model, later);
    const planes = computePlanes(later);
    const f = new Float32Array(FEATURES);
    for (const [x, y] of [[0, 0], [1, 40], [60, 40], [119, 79], [118, 2]] as const) {
      const i = y * later.width + x;
      gatherFeatures(planes, later.data, x, y, f);
      applyColourLut(model.lut, later.data[i * 3]!, later.data[i * 3 + 1]!, later.data[i * 3 + 2]!, f, LUT_FEATURE);
      applyToneCurves(model.curves, later.data[i * 3]!, later.data[i * 3 + 1]!, later.data[i * 3 + 2]!, f, CURVE_FEATURE);
      const bucket = bucketOf(model, planes, i);
      for (let c = 0; c < 3; c++) {
        let v = 0;
        for (let k = 0; k < FEATURES; k++) v += model.weights[(bucket * FEATURES + k) * 3 + c]! * f[k]!;
        expect(fast[i * 3 + c]!).toBeCloseTo(Math.min(1, Math.max(0, v)), 4);
      }
    }
  });

  it('is deterministic and scales with strength, from the source to the full look', () => {
    const target = relief(frame0);
    const model = fitGuidedModel(frame0, target);
    expect(applyGuidedModel(model, later)).toEqual(applyGuidedModel(fitGuidedModel(frame0, target), later));
    expect(applyGuidedModel(model, later, 0)).toEqual(later.data);
    const distance = (s: number): number => compareFrames(later, { ...later, data: applyGuidedModel(model, later, s) }).deltaE;
    expect(distance(0.4)).toBeLessThan(distance(0.7));
    expect(distance(0.7)).toBeLessThan(distance(1));
  });

  it('sharpens with its second stage what the first stage blurs (dark outlines)', () => {
    const outline = (frame: typeof frame0): typeof frame0 => {
      const r = relief(frame);
      return mapPixels(r, (v) => (Math.abs(v - 128) > 12 ? [20, 20, 20] : [240, 240, 240]));
    };
    const one = fitGuidedModel(frame0, outline(frame0), { context: false });
    const two = fitGuidedModel(frame0, outline(frame0));
    const truth = outline(later);
    const first = compareFrames({ ...later, data: applyGuidedModel(one, later) }, truth);
    const second = compareFrames({ ...later, data: applyGuidedModel(two, later) }, truth);
    expect(second.ssim).toBeGreaterThan(first.ssim);
    expect(second.deltaE).toBeLessThan(first.deltaE);
  });
});
