import { describe, expect, it } from 'vitest';
import { compareFrames, deltaE, srgbToLab, ssimY } from './metrics.ts';
import { mapPixels, textureFrame } from './test-frames.ts';

describe('guided metrics', () => {
  const frame = textureFrame(64, 48);

  it('scores identical frames as perfect', () => {
    expect(compareFrames(frame, frame)).toEqual({ ssim: 1, deltaE: 0 });
  });

  it('converts sRGB white and mid grey to the published CIELAB values', () => {
    const [l, a, b] = srgbToLab(255, 255, 255);
    expect(l).toBeCloseTo(100, 1);
    expect(Math.abs(a) + Math.abs(b)).toBeLessThan(0.05);
    expect(srgbToLab(119, 119, 119)[0]).toBeCloseTo(50, 0);
  });

  it('measures a colour cast in ΔE but not in SSIM-Y of structure', () => {
    const tinted = mapPixels(frame, (r, g, b) => [r, g * 0.85, b]);
    expect(deltaE(frame, tinted)).toBeGreaterThan(5);
    expect(ssimY(frame, tinted)).toBeGreaterThan(0.95);
  });

  it('drops SSIM-Y when structure is lost or inverted', () => {
    const flat = mapPixels(frame, () => [128, 128, 128]);
    const negative = mapPixels(frame, (r, g, b) => [255 - r, 255 - g, 255 - b]);
    expect(ssimY(frame, flat)).toBeLessThan(0.7);
    expect(ssimY(frame, negative)).toBeLessThan(0);
  });
});
