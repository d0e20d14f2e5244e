/**
 * Pixel art's palette and clean-up on its cell grid (the `pixel_cells` kernel, one pixel a
 * cell), on synthetic frames: what a viewer who works in the medium checks first. A
 * reduced photograph keeps its materials' hues (a forest green, the sea blue, a town's
 * stone grey), prints in a limited palette, and has no lone cells of texture noise. The
 * luma staircase tinted along one lavender-to-sand ramp printed an aerial shot of forest,
 * town and sea almost all grey-beige with pink specks and lone black cells.
 */
import { describe, expect, it } from 'vitest';
import type { RgbFrame } from '../src/engines/local/guided/metrics.ts';
import { markStill } from '../src/engines/local/marks/still.ts';

const W = 160, H = 90;

/** A fixed pseudo-random sequence in 0..1 (so the frames are the same on every run). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A frame whose cell (x, y) is `colour(x, y)`, each channel clamped to 0..255. */
function frameOf(colour: (x: number, y: number) => [number, number, number]): RgbFrame {
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const c = colour(x, y), i = 3 * (y * W + x);
      for (let ch = 0; ch < 3; ch++) data[i + ch] = Math.max(0, Math.min(255, Math.round(c[ch]!)));
    }
  return { width: W, height: H, data };
}

const cells = (f: RgbFrame, x: number, y: number): number[] => [...f.data.subarray(3 * (y * W + x), 3 * (y * W + x) + 3)];

/** HSV hue (degrees) of the mean colour of rows y0..y1, and that mean's spread (max − min channel). */
function bandColour(f: RgbFrame, y0: number, y1: number): { hue: number; spread: number } {
  const sum = [0, 0, 0];
  for (let y = y0; y < y1; y++) for (let x = 0; x < W; x++) cells(f, x, y).forEach((v, ch) => (sum[ch]! += v));
  const [r, g, b] = sum.map((v) => v / ((y1 - y0) * W)) as [number, number, number];
  const max = Math.max(r, g, b), min = Math.min(r, g, b), d = max - min || 1;
  const hue = max === r ? (60 * ((g - b) / d) + 360) % 360 : max === g ? 60 * ((b - r) / d) + 120 : 60 * ((r - g) / d) + 240;
  return { hue, spread: max - min };
}

/** Share of the cells (away from the border) whose colour none of their eight neighbours share. */
function loneCells(f: RgbFrame): number {
  let lone = 0, all = 0;
  for (let y = 1; y < H - 1; y++)
    for (let x = 1; x < W - 1; x++) {
      const c = cells(f, x, y).join();
      let shared = false;
      for (let dy = -1; dy <= 1 && !shared; dy++) for (let dx = -1; dx <= 1; dx++) if ((dx || dy) && cells(f, x + dx, y + dy).join() === c) shared = true;
      lone += shared ? 0 : 1;
      all++;
    }
  return lone / all;
}

describe('pixel art on its cell grid', () => {
  it('keeps a hazy forest green, the sea blue and a town\'s stone grey', () => {
    // An aerial shot's muted bands, each with a little texture: forest, sea, town.
    const noise = random(7);
    const band = (y: number): [number, number, number] => (y < 30 ? [62, 84, 58] : y < 60 ? [58, 84, 112] : [142, 138, 132]);
    const out = markStill('pixel_cells', frameOf((x, y) => band(y).map((v) => v + (noise() - 0.5) * 16) as [number, number, number]), [1, 0]);
    const forest = bandColour(out, 2, 28), sea = bandColour(out, 32, 58), town = bandColour(out, 62, 88);
    console.log(`pixel art bands: forest hue ${forest.hue.toFixed(0)}° (spread ${forest.spread.toFixed(0)}), sea ${sea.hue.toFixed(0)}° (${sea.spread.toFixed(0)}), town spread ${town.spread.toFixed(0)}`);
    // The luma staircase tinted along one ramp: forest and sea both grey-lavender.
    expect(forest.hue).toBeGreaterThan(75);
    expect(forest.hue).toBeLessThan(170);
    expect(forest.spread).toBeGreaterThan(20);
    expect(sea.hue).toBeGreaterThan(190);
    expect(sea.hue).toBeLessThan(250);
    expect(sea.spread).toBeGreaterThan(30);
    expect(town.spread).toBeLessThan(20);
  });

  it('prints a busy, colourful frame in a limited palette', () => {
    const noise = random(11);
    const out = markStill('pixel_cells', frameOf((x, y) => [128 + 100 * Math.sin(x / 9) + 40 * (noise() - 0.5), 128 + 100 * Math.sin(y / 7 + x / 23), 128 + 100 * Math.cos((x + y) / 13)]), [1, 0]);
    const colours = new Set<string>();
    for (let i = 0; i < W * H; i++) colours.add(cells(out, i % W, Math.floor(i / W)).join());
    console.log(`pixel art on a busy frame: ${colours.size} colours`);
    // At most the palette's 47 entries; the luma staircase tinted along a ramp: 2,207.
    expect(colours.size).toBeLessThanOrEqual(47);
  });

  it('leaves no lone cells of texture noise: gravel prints as clusters', () => {
    // Gravel: stones of a few cells, light and dark, with dark specks between them.
    const noise = random(5);
    const stones = Array.from({ length: (W / 3 + 1) * (H / 3 + 1) }, () => 70 + 120 * noise());
    const out = markStill('pixel_cells', frameOf((x, y) => {
      const v = stones[Math.floor(y / 3) * (W / 3 + 1) + Math.floor(x / 3)]! + (noise() - 0.5) * 60 - (noise() < 0.08 ? 70 : 0);
      return [v * 1.02, v, v * 0.95];
    }), [1, 0]);
    const share = loneCells(out);
    console.log(`pixel art on gravel: ${(100 * share).toFixed(2)} % of the cells unlike all eight neighbours`);
    // The luma staircase before: 11.9 %. The clean-up alone leaves 1.6 %; outlines on
    // every shape and lone dark feature (an eye, a strut) bring it to 2.2 %.
    expect(share).toBeLessThan(0.03);
  });
});
