import { describe, expect, it } from 'vitest';
import { applyColourLut, applyToneCurves, fitColourLut, fitToneCurves } from './colour-lut.ts';
import { mapPixels, textureFrame } from './test-frames.ts';

describe('colour lookup table', () => {
  it('learns a grade that depends on brightness and hue (warm highlights, cool shadows)', () => {
    const source = textureFrame(96, 64);
    const grade = (r: number, g: number, b: number): [number, number, number] => {
      const l = (r + g + b) / 3;
      return l > 120 ? [r * 1.1 + 10, g, b * 0.8] : [r * 0.8, g, b * 1.1 + 15];
    };
    const target = mapPixels(source, grade);
    const lut = fitColourLut(source.data, target.data);
    const out = new Float32Array(3);
    let error = 0, count = 0;
    for (let p = 0; p < source.data.length; p += 3 * 7) {
      applyColourLut(lut, source.data[p]!, source.data[p + 1]!, source.data[p + 2]!, out, 0);
      for (let c = 0; c < 3; c++) error += Math.abs(out[c]! * 255 - target.data[p + c]!);
      count += 3;
    }
    expect(error / count).toBeLessThan(6);
  });

  it('gives colours frame 0 never showed a sensible grade, not garbage', () => {
    // Only reds were seen, all inverted; an unseen blue follows the same global trend.
    const source = new Uint8Array(300 * 3);
    const target = new Uint8Array(300 * 3);
    for (let i = 0; i < 300; i++) {
      source.set([100 + (i % 150), 20 + (i % 30), 20], i * 3);
      target.set([255 - (100 + (i % 150)), 255 - (20 + (i % 30)), 235], i * 3);
    }
    const lut = fitColourLut(source, target);
    const out = new Float32Array(3);
    applyColourLut(lut, 30, 40, 200, out, 0);
    for (const v of out) expect(v).toBeGreaterThanOrEqual(0);
    expect(out[0]! * 255).toBeGreaterThan(150);
  });

  it('keeps a posterised step on the level where it is, which the table spreads out', () => {
    // Every level of red 40 times, with green and blue varying independently.
    const source = new Uint8Array(256 * 40 * 3);
    for (let i = 0; i < 256 * 40; i++) source.set([i % 256, (i * 37) % 256, (i * 101) % 256], i * 3);
    const posterise = (v: number): number => Math.floor(v / 64) * 85;
    const target = source.map(posterise);
    const curves = fitToneCurves(source, target);
    const lut = fitColourLut(source, target);
    const out = new Float32Array(6);
    for (const v of [62, 63, 64, 65, 127, 128]) {
      applyToneCurves(curves, v, 40, 200, out, 0);
      expect(Math.abs(out[0]! * 255 - posterise(v))).toBeLessThan(6);
    }
    applyColourLut(lut, 63, 40, 200, out, 0);
    expect(Math.abs(out[0]! * 255 - posterise(63))).toBeGreaterThan(10);
  });
});
