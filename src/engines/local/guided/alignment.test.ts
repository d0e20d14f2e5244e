import { describe, expect, it } from 'vitest';
import { alignImage, undoTransform } from './alignment.ts';
import { MIN_ALIGNMENT } from './learn.ts';
import { compareFrames } from './metrics.ts';
import { mapPixels, textureFrame } from './test-frames.ts';

describe('alignment of the image with frame 0', () => {
  const frame0 = textureFrame(256, 144);

  it('finds the edges of a restyle that inverts every colour where frame 0 has them', () => {
    const negative = mapPixels(frame0, (r, g, b) => [255 - r, 255 - g, 255 - b]);
    expect(alignImage(frame0, negative).edgeScore).toBeGreaterThan(0.9);
  });

  it('finds little in common with another picture', () => {
    const other = mapPixels(textureFrame(256, 144, 123, 77), (r, g, b) => [b, r, g]);
    expect(alignImage(frame0, other).edgeScore).toBeLessThan(MIN_ALIGNMENT);
  });

  it('finds a shifted restyle and undoes the shift', () => {
    const shifted = textureFrame(256, 144, 8, -6);
    const alignment = alignImage(frame0, shifted);
    expect(alignment.edgeScore).toBeGreaterThan(alignment.identityScore);
    // The image shows frame 0's pixel (x, y) at (x − 8, y + 6).
    expect(Math.abs(alignment.shiftX * 256 + 8)).toBeLessThan(1.5);
    expect(Math.abs(alignment.shiftY * 144 - 6)).toBeLessThan(1.5);
    const { frame, valid } = undoTransform(shifted, alignment);
    expect(valid.reduce((a, b) => a + b, 0)).toBeGreaterThan(256 * 144 * 0.8);
    expect(compareFrames(frame, frame0).ssim).toBeGreaterThan(compareFrames(shifted, frame0).ssim);
  });
});
