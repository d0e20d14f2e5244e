import { describe, expect, it } from 'vitest';
import { blendAt, BLEND_SHARE, planShots } from './schedule.ts';
import { colourHistogram, histogramDistance, shotsFromDiffs } from './shots.ts';

/** Histograms of frames of one flat colour each. */
const flat = (colours: [number, number, number][]): Float32Array[] =>
  colours.map((c) => colourHistogram(Uint8Array.from({ length: 12 }, (_, i) => c[i % 3]!)));

describe('keyframe schedule', () => {
  const shots = [{ start: 0, end: 100 }, { start: 100, end: 160 }, { start: 160, end: 200 }];
  const histograms = flat([...Array<[number, number, number]>(100).fill([200, 40, 40]), ...Array<[number, number, number]>(60).fill([30, 30, 220]), ...Array<[number, number, number]>(40).fill([210, 50, 30])]);

  it('gives each shot its own keyframes and a shot without one the keyframe whose frame looks most like it', () => {
    const plan = planShots(shots, [{ frame: 10, model: 0 }, { frame: 90, model: 1 }, { frame: 120, model: 2 }], histograms);
    expect(plan.map((s) => s.anchors.map((a) => a.model))).toEqual([[0, 1], [2], [0]]);
    expect(plan.map((s) => s.borrowed)).toEqual([false, false, true]);
  });

  it('never blends across a cut, and uses the one keyframe alone before the first and after the last', () => {
    const plan = planShots(shots, [{ frame: 10, model: 0 }, { frame: 120, model: 1 }], histograms);
    for (const frame of [0, 10, 60, 99]) expect(blendAt(plan, frame)).toEqual([{ model: 0, weight: 1 }]);
    for (const frame of [100, 120, 159]) expect(blendAt(plan, frame)).toEqual([{ model: 1, weight: 1 }]);
  });

  it('crossfades two keyframes of one shot over the middle of the gap, with no jump at either keyframe', () => {
    const plan = planShots([{ start: 0, end: 200 }], [{ frame: 0, model: 0 }, { frame: 100, model: 1 }], histograms);
    const toSecond = (frame: number): number => blendAt(plan, frame).find((b) => b.model === 1)?.weight ?? 0;
    expect(toSecond(0)).toBe(0);
    expect(toSecond(100)).toBe(1);
    expect(toSecond(150)).toBe(1);
    expect(toSecond(50)).toBeCloseTo(0.5);
    const weights = Array.from({ length: 101 }, (_, f) => toSecond(f));
    const steps = weights.slice(1).map((w, i) => w - weights[i]!);
    // Monotone, and no step bigger than the crossfade's.
    expect(Math.min(...steps)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...steps)).toBeLessThanOrEqual(1 / (100 * BLEND_SHARE) + 1e-9);
    // Two predictions are made for at most BLEND_SHARE of the frames between the keyframes.
    expect(weights.filter((w) => w > 0 && w < 1).length).toBeLessThanOrEqual(100 * BLEND_SHARE);
  });
});

describe('shots', () => {
  it('start after every cut of the differences', () => {
    const diffs = [1, 2, 1, 60, 1, 2, 1, 1, 70, 2];
    expect(shotsFromDiffs(diffs, 11)).toEqual([{ start: 0, end: 4 }, { start: 4, end: 9 }, { start: 9, end: 11 }]);
  });

  it('compare colour: the same colours are near, other colours far', () => {
    const [red, redder, blue] = flat([[200, 40, 40], [210, 50, 30], [30, 30, 220]]);
    expect(histogramDistance(red!, redder!)).toBeLessThan(histogramDistance(red!, blue!));
    expect(histogramDistance(red!, blue!)).toBeCloseTo(2);
  });
});
