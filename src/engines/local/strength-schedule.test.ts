import { describe, expect, it } from 'vitest';
import { findCuts, planSchedule } from './strength-schedule.ts';

const calm = (n: number, level = 0.5): number[] => Array.from({ length: n }, (_, i) => level + (i % 3) * 0.1);

describe('findCuts', () => {
  it('finds a spike far above the motion around it, and nothing in steady motion', () => {
    expect(findCuts([...calm(10, 4), 78, ...calm(20, 1.5)])).toEqual([10]);
    expect(findCuts(calm(60, 8))).toEqual([]);
    // Fast motion everywhere is not a cut, however large.
    expect(findCuts(Array.from({ length: 30 }, () => 30))).toEqual([]);
  });
});

describe('planSchedule', () => {
  it('starts a segment at the cut and is gentler in the busy shot', () => {
    const diffs = [...calm(10, 5), 80, ...calm(49, 0.6)];
    const { cuts_s, segments } = planSchedule(diffs, { fps: 30, duration: 2 });
    expect(cuts_s).toEqual([0.367]);
    expect(segments[0]).toMatchObject({ start_s: 0, end_s: 0.367, edit_strength: 'flex_1', after_cut: false });
    expect(segments[1]).toMatchObject({ start_s: 0.367, edit_strength: 'flex_3', after_cut: true });
    expect(segments.at(-1)?.end_s).toBe(2);
  });

  it('covers the clip without gaps and merges windows of the same level', () => {
    const diffs = [...calm(90, 0.5), ...calm(60, 9), ...calm(149, 0.5)];
    const { segments } = planSchedule(diffs, { fps: 30, duration: 10 });
    expect(segments.map((s) => s.edit_strength)).toEqual(['flex_3', 'adhere_3', 'flex_3']);
    for (let i = 1; i < segments.length; i++) expect(segments[i]?.start_s).toBe(segments[i - 1]?.end_s);
    expect(segments.at(-1)?.end_s).toBe(10);
  });

  it('gives a still clip one segment', () => {
    expect(planSchedule(calm(29, 0.1), { fps: 30, duration: 1 }).segments).toEqual([
      { start_s: 0, end_s: 1, edit_strength: 'flex_3', motion: expect.any(Number) as number, after_cut: false },
    ]);
  });
});
