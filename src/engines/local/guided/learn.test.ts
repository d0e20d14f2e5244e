import { describe, expect, it } from 'vitest';
import { fitKeyframe, learnFromKeyframe, learnFromKeyframeBeside, MIN_ALIGNMENT } from './learn.ts';
import { blocksFrame, mapPixels, relief, textureFrame } from './test-frames.ts';

describe('learning from the keyframe pair', () => {
  const frame0 = textureFrame(200, 120);

  it('accepts a relief of frame 0 and reports how well the mapping reproduces it', () => {
    const { report, model } = learnFromKeyframe(frame0, relief(frame0));
    expect(report.aligned).toBe(true);
    expect(report.alignment.score).toBeGreaterThan(0.8);
    expect(report.keyframe.ssim).toBeGreaterThan(0.9);
    expect(report.keyframe.delta_e).toBeLessThan(report.change.delta_e);
    expect(model).toBeDefined();
  });

  it('rejects an unrelated picture', () => {
    const other = blocksFrame(200, 120);
    const { report, model } = learnFromKeyframe(frame0, other);
    expect(report.alignment.score).toBeLessThan(MIN_ALIGNMENT);
    expect(report.aligned).toBe(false);
    expect(model).toBeUndefined();
  });

  it('takes an image of one colour for a (dull) restyle, and refuses a smooth unrelated one', () => {
    const grey = mapPixels(frame0, () => [120, 130, 140]);
    expect(learnFromKeyframe(frame0, grey).report.aligned).toBe(true);
    // A soft diagonal gradient: no detail, so nothing of frame 0's detail to match.
    const gradient = mapPixels(frame0, () => [0, 0, 0]);
    for (let y = 0; y < 120; y++) {
      for (let x = 0; x < 200; x++) gradient.data.fill(Math.round((x + y) * 0.8), (y * 200 + x) * 3, (y * 200 + x) * 3 + 3);
    }
    const { report } = learnFromKeyframe(frame0, gradient);
    expect(report.alignment.score).toBeLessThan(MIN_ALIGNMENT);
    expect(report.aligned).toBe(false);
  });

  it('undoes a small shift of a restyled frame', () => {
    const shifted = mapPixels(textureFrame(200, 120, 6, 4), (r, g, b) => [g, b, r]);
    const { report } = learnFromKeyframe(frame0, shifted);
    expect(report.aligned).toBe(true);
    expect(report.alignment.shiftX).not.toBe(0);
    expect(report.keyframe.ssim).toBeGreaterThan(0.9);
  });

  it('with the fit made beside the alignment, learns what it learns alone', async () => {
    const image = relief(frame0);
    const beside = fitKeyframe(frame0, image, undefined);
    const alone = learnFromKeyframe(frame0, image);
    const learned = await learnFromKeyframeBeside(frame0, image, Promise.resolve(beside));
    expect(learned.model).toBe(beside.model);
    expect(learned.model).toEqual(alone.model);
    expect(learned.report).toEqual(alone.report);
  });

  it('fits again when the alignment moves the image, rather than keep the fit made beside it', async () => {
    const shifted = mapPixels(textureFrame(200, 120, 6, 4), (r, g, b) => [g, b, r]);
    const unmoved = fitKeyframe(frame0, shifted, undefined);
    const learned = await learnFromKeyframeBeside(frame0, shifted, Promise.resolve(unmoved));
    const alone = learnFromKeyframe(frame0, shifted);
    expect(learned.model).not.toBe(unmoved.model);
    expect(learned.model).toEqual(alone.model);
    expect(learned.report).toEqual(alone.report);
  });
});
