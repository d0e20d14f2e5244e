import { describe, expect, it } from 'vitest';
import type { RgbFrame } from '../guided/metrics.ts';
import { boxDetail, boxStructure, CRUSHED, crushedShare, toneDetail } from './tone-detail.ts';

const W = 320, H = 200;

/** Grey frame from a luma function (0..1). */
function grey(f: (x: number, y: number) => number): RgbFrame {
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const v = Math.round(255 * Math.min(1, Math.max(0, f(x, y))));
      data.fill(v, (y * W + x) * 3, (y * W + x) * 3 + 3);
    }
  }
  return { width: W, height: H, data };
}

/** A tone ramp from near-black to near-white, strewn with eye-sized light and dark spots (σ 2 % of the height). */
function faces(x: number, y: number): number {
  const base = 0.08 + 0.84 * (x / (W - 1));
  const cx = Math.round(x / 16) * 16, cy = Math.round(y / 16) * 16;
  const sign = ((cx + cy) / 16) % 2 === 0 ? 1 : -1;
  return base + sign * 0.08 * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * 4 ** 2));
}

/** The eye-sized spots of `faces` alone, signed. */
function spots(x: number, y: number): number {
  return faces(x, y) - (0.08 + 0.84 * (x / (W - 1)));
}

/** A look's own fine texture: diagonal hatching with a period of 4 px and grain, strong. */
function hatching(x: number, y: number): number {
  const grain = Math.sin(x * 12.9898 + y * 78.233) * 43758.5453;
  return 0.18 * Math.sin((2 * Math.PI * (x + y)) / 4) + 0.08 * (grain - Math.floor(grain) - 0.5);
}

const source = grey(faces);

describe('toneDetail', () => {
  it('keeps everything when the styled frame is the source', () => {
    const d = toneDetail(source, source);
    for (const third of [d.dark, d.middle, d.bright]) expect(third.kept).toBeCloseTo(1, 3);
  });

  it('scores a shadow crushed to black near 0 and leaves the bright third alone', () => {
    const d = toneDetail(source, grey((x, y) => (faces(x, y) < 0.47 ? 0.02 : faces(x, y))));
    expect(d.dark.kept).toBeLessThan(0.1);
    expect(d.bright.kept).toBeGreaterThan(0.9);
  });

  it('scores a bright face blanked to paper white near 0', () => {
    const d = toneDetail(source, grey((x, y) => (faces(x, y) > 0.5 ? 0.97 : faces(x, y))));
    expect(d.bright.kept).toBeLessThan(0.1);
    expect(d.dark.kept).toBeGreaterThan(0.9);
  });

  it('is not fooled by heavy fine texture over kept form', () => {
    const d = toneDetail(source, grey((x, y) => faces(x, y) + hatching(x, y)));
    for (const third of [d.dark, d.middle, d.bright]) expect(third.kept).toBeGreaterThan(0.8);
  });

  it('is not fooled by texture laid over a blanked face', () => {
    const d = toneDetail(source, grey((x, y) => (faces(x, y) > 0.5 ? 0.8 : faces(x, y)) + hatching(x, y)));
    expect(d.bright.kept).toBeLessThan(0.15);
  });

  it('halves the score when the look halves the contrast of the features', () => {
    const d = toneDetail(source, grey((x, y) => 0.5 + 0.5 * (faces(x, y) - 0.5)));
    for (const third of [d.dark, d.middle, d.bright]) expect(third.kept).toBeCloseTo(0.5, 1);
  });

  it('has no score for a third with nothing in it to keep', () => {
    const flat = grey((x) => (x < W / 2 ? 0.2 : faces(x, 0)));
    expect(toneDetail(flat, flat).dark.kept).toBeUndefined();
  });
});

describe('boxStructure', () => {
  const box = { x: 0.25, y: 0.2, width: 0.5, height: 0.6 };

  it('keeps a face drawn as it is, or much of it under heavy hatching', () => {
    expect(boxStructure(source, source, box).kept).toBeCloseTo(1, 3);
    // Hatching this strong (its gradient outweighs the features') hides part of the edges: 0.42 here.
    expect(boxStructure(source, grey((x, y) => faces(x, y) + hatching(x, y)), box).kept).toBeGreaterThan(0.3);
  });

  it('keeps features a look draws as bright marks whatever their sign, which boxDetail calls lost', () => {
    const glow = grey((x, y) => 0.1 + 4 * Math.abs(spots(x, y)));
    expect(boxStructure(source, glow, box).kept).toBeGreaterThan(0.5);
    expect(boxDetail(source, glow, box).kept ?? 0).toBeLessThan(0.25);
  });

  it('scores a face whose features are blanked near 0, with or without texture over it', () => {
    const blank = (x: number, y: number): number => faces(x, y) - spots(x, y);
    expect(boxStructure(source, grey(blank), box).kept).toBeLessThan(0.1);
    expect(boxStructure(source, grey((x, y) => blank(x, y) + hatching(x, y)), box).kept).toBeLessThan(0.25);
  });
});

describe('crushedShare', () => {
  const crushed = (x: number, y: number): number => (faces(x, y) < 0.4 ? 0.02 : faces(x, y));

  it('counts the shadows a look fills with solid black', () => {
    expect(crushedShare(source, grey(crushed))).toBeGreaterThan(0.2);
    expect(crushedShare(source, source)).toBe(0);
  });

  it('does not count shadows printed as dots, nor blacks the source already had', () => {
    const dots = (x: number, y: number): number => (faces(x, y) < 0.4 ? (x % 6 === 0 && y % 6 === 0 ? 0.9 : 0.02) : faces(x, y));
    expect(crushedShare(source, grey(dots))).toBeLessThan(CRUSHED);
    const black = grey(crushed);
    expect(crushedShare(black, black)).toBe(0);
  });
});
