import { describe, expect, it } from 'vitest';
import { ACES_AP0, apply, BT709, BT709_TO_AP0, gamutMatrix, rgbToXyz } from './colour-space.ts';

describe('colour-space', () => {
  it('derives the published BT.709 → ACES2065-1 matrix (Bradford adaptation)', () => {
    // The matrix published with the ACES reference transforms and colour-science.
    const published = [
      [0.439701, 0.382978, 0.177335],
      [0.0897923, 0.813423, 0.0967616],
      [0.017544, 0.111544, 0.870704],
    ];
    BT709_TO_AP0.forEach((row, r) => row.forEach((value, c) => expect(value).toBeCloseTo(published[r]![c]!, 3)));
  });

  it('keeps white white and round-trips through the inverse gamut', () => {
    expect(apply(BT709_TO_AP0, [1, 1, 1]).map((v) => Math.round(v * 1e4) / 1e4)).toEqual([1, 1, 1]);
    const back = apply(gamutMatrix(ACES_AP0, BT709), apply(BT709_TO_AP0, [0.2, 0.5, 0.9]));
    back.forEach((v, i) => expect(v).toBeCloseTo([0.2, 0.5, 0.9][i]!, 6));
  });

  it('gives sRGB its textbook luminance row', () => {
    const [, y] = rgbToXyz(BT709);
    expect(y.map((v) => Math.round(v * 1e4) / 1e4)).toEqual([0.2126, 0.7152, 0.0722]);
  });
});
