import { describe, expect, it } from 'vitest';
import { analyseTone, applyCurve, MAX_SLOPE, shotToneSteps, STRETCHED, steepest, toneCurve, type ToneCurve } from './shot-tone.ts';
import { toneWindow } from './tone-windows.ts';

/** The curve's steepest rise from one luma code to the next, as the filter applies it (output codes per input code). */
function steepestPerCode(curve: ToneCurve): number {
  let most = 0;
  for (let code = 0; code < 219; code++) most = Math.max(most, (applyCurve(curve, (code + 1) / 219) - applyCurve(curve, code / 219)) * 219);
  return most;
}

/** A grey frame (RGB, 64 pixels) whose pixels run evenly from `lo` to `hi` (0..255). */
function frame(lo: number, hi: number): Uint8Array {
  const data = new Uint8Array(64 * 3);
  for (let i = 0; i < 64; i++) data.fill(Math.round(lo + ((hi - lo) * i) / 63), i * 3, i * 3 + 3);
  return data;
}

describe('shot tone', () => {
  it('finds the cut between a dark shot and a bright one and measures each', () => {
    const frames = [...Array(10).fill(frame(0, 60)), ...Array(10).fill(frame(150, 255))] as Uint8Array[];
    const { shots, colourless } = analyseTone(frames, 3, 10);
    expect(colourless).toBe(true);
    expect(shots.map((s) => s.start)).toEqual([0, 1]);
    expect(shots[0]!.highlight).toBeLessThan(0.3);
    expect(shots[1]!.shadow).toBeGreaterThan(0.55);
  });

  it('leaves a shot that fits the window alone and lifts a dark one into it, monotonically', () => {
    const window = { low: 0.4, high: 0.85 };
    expect(toneCurve({ start: 0, end: 1, shadow: 0.45, median: 0.6, highlight: 0.8 }, window)).toBeUndefined();
    const curve = toneCurve({ start: 0, end: 1, shadow: 0.12, median: 0.2, highlight: 0.35 }, window)!;
    expect(applyCurve(curve, 0.12)).toBeCloseTo(0.4, 2);
    expect(applyCurve(curve, 0.2)).toBeGreaterThan(0.5);
    let last = -1;
    for (let y = 0; y <= 1; y += 0.01) {
      expect(applyCurve(curve, y)).toBeGreaterThanOrEqual(last);
      last = applyCurve(curve, y);
    }
    expect(applyCurve(curve, 1)).toBeCloseTo(1, 5);
  });

  it('spreads every shot over a filled window, one that already fits as well as an overexposed one', () => {
    const window = { low: 0.4, high: 0.85, fill: 'window' as const };
    for (const shot of [{ shadow: 0.45, median: 0.6, highlight: 0.8 }, { shadow: 0.6, median: 0.85, highlight: 0.97 }, { shadow: 0.12, median: 0.25, highlight: 0.4 }]) {
      const curve = toneCurve({ start: 0, end: 1, ...shot }, window)!;
      // The shadows just above the window's foot, the lights at its top.
      expect(applyCurve(curve, shot.shadow)).toBeCloseTo(0.445, 2);
      expect(applyCurve(curve, shot.highlight)).toBeCloseTo(0.85, 2);
    }
  });

  // Noir's lights go to 0.88, so a night shot's lit face is not printed white; its dark
  // shots' middles stay where the whole window puts them, its bright shots' come down.
  it('puts a filled window\'s lights where the window says, the band of the median coming down with them only at its top', () => {
    const whole = { low: 0.2, high: 1, fill: 'window' as const }, lowered = { ...whole, lights: 0.85 };
    const night = { start: 0, end: 1, shadow: 0.01, median: 0.04, highlight: 0.57 };
    expect(applyCurve(toneCurve(night, lowered)!, night.highlight)).toBeCloseTo(0.88, 2);
    expect(applyCurve(toneCurve(night, whole)!, night.highlight)).toBeCloseTo(1, 2);
    expect(toneCurve(night, lowered)!.to[1]).toBeCloseTo(toneCurve(night, whole)!.to[1], 5);
    const day = { start: 0, end: 1, shadow: 0.4, median: 0.85, highlight: 0.95 };
    expect(toneCurve(day, lowered)!.to[1]).toBeLessThan(toneCurve(day, whole)!.to[1] - 0.05);
    // The brightest tenth still reaches white.
    expect(applyCurve(toneCurve(night, lowered)!, 1)).toBeCloseTo(1, 2);
  });

  it('brings a washed-out shot\'s shadows down under a look that needs its darks, and only that shot', () => {
    const window = { low: 0.1, high: 0.9, fill: 'shadows' as const };
    const bright = { start: 0, end: 1, shadow: 0.55, median: 0.8, highlight: 0.97 };
    expect(applyCurve(toneCurve(bright, window)!, 0.55)).toBeCloseTo(0.18, 2);
    // Its climb to the lights is steep, but not the dark end's stretch: left as planned.
    expect(applyCurve(toneCurve(bright, window)!, 0.97)).toBeCloseTo(0.9, 2);
    // Without the fill, the same shot keeps its pale shadows.
    expect(applyCurve(toneCurve(bright, { low: 0.1, high: 0.9 })!, 0.55)).toBeCloseTo(0.55, 2);
    // A shot with darks of its own is left as it is.
    expect(toneCurve({ start: 0, end: 1, shadow: 0.15, median: 0.5, highlight: 0.85 }, window)).toBeUndefined();
  });

  // A night shot whose tenth darkest lies a code or two above black (a dark backdrop): the
  // planned curve would stretch those codes 36 times, and the encoder's faint blocks in
  // the backdrop into streaks. The curve rises from black at most MAX_SLOPE, and meets the
  // plan above.
  it('rises from black no faster than MAX_SLOPE, so a black backdrop stays dark and its noise faint', () => {
    const shot = { start: 0, end: 1, shadow: 0.0078, median: 0.039, highlight: 0.57 };
    const curve = toneCurve(shot, { low: 0.2, high: 1, fill: 'window' })!;
    expect(steepestPerCode(curve)).toBeLessThanOrEqual(MAX_SLOPE + 1e-9);
    expect(applyCurve(curve, shot.shadow)).toBeLessThan(MAX_SLOPE * shot.shadow + 0.001);
    // The face's tones, well above the backdrop, are where the plan puts them.
    expect(applyCurve(curve, shot.highlight)).toBeCloseTo(1, 2);
    expect(applyCurve(curve, 0.3)).toBeGreaterThan(0.75);
  });

  // A look whose window starts at black plans a gentle rise to the shot's shadows and a
  // steep climb from them: capped too, wherever it falls in the darks.
  it('caps a steep climb just above the shadows as well, for a look whose window starts at black', () => {
    const shot = { start: 0, end: 1, shadow: 0.0078, median: 0.039, highlight: 0.57 };
    for (const look of ['pencil_sketch', 'cartoon'] as const) {
      const curve = toneCurve(shot, toneWindow(look))!;
      expect(steepestPerCode(curve), look).toBeLessThanOrEqual(MAX_SLOPE + 1e-9);
      expect(steepest(curve)).toBeGreaterThanOrEqual(STRETCHED);
      // The shot's median and lights are where the plan puts them.
      expect(applyCurve(curve, shot.median), look).toBeCloseTo(curve.to[1], 1);
      expect(applyCurve(curve, shot.highlight), look).toBeCloseTo(curve.to[2], 2);
    }
  });

  it('gives each shot its own curve on its own time range, a stretched one smoothed first at 16 bits', () => {
    const steps = shotToneSteps({ colourless: false, shots: [
      { start: 0, end: 1, shadow: 0.02, median: 0.08, highlight: 0.2 },
      { start: 1, end: 2, shadow: 0.45, median: 0.6, highlight: 0.8 },
      { start: 2, end: 3, shadow: 0.02, median: 0.08, highlight: 0.2 },
    ] }, { low: 0.4, high: 0.85 }, 1080);
    // Both dark shots are stretched MAX_SLOPE times: each is smoothed, then its curve runs
    // at 16 bits; the frames come back to 8 bits at the end.
    expect(steps[0]).toBe('format=yuv420p16le');
    expect(steps.at(-1)).toBe('format=yuv420p');
    const timed = steps.slice(1, -1);
    expect(timed).toHaveLength(4);
    expect(timed[0]).toMatch(/^bilateral=sigmaS=24:.*enable='lt\(t,1\)'$/);
    expect(timed[1]).toMatch(/^lutyuv=y='4096\+56064\*.*enable='lt\(t,1\)'$/);
    expect(timed[2]).toMatch(/^bilateral=.*enable='gte\(t,2\)'$/);
    expect(timed[3]).toMatch(/^lutyuv=y='4096\+56064\*.*enable='gte\(t,2\)'$/);
  });

  it('maps a shot lifted gently with one 8-bit curve, unsmoothed', () => {
    const steps = shotToneSteps({ colourless: false, shots: [{ start: 0, end: 1, shadow: 0.2, median: 0.4, highlight: 0.7 }] }, { low: 0.3, high: 0.9 });
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatch(/^lutyuv=y='16\+219\*/);
  });
});
