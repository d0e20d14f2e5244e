import { describe, expect, it } from 'vitest';
import type { RgbFrame } from '../guided/metrics.ts';
import { gaussianBlur } from '../marks/gaussian.ts';
import { textureKept } from './texture-kept.ts';

const W = 540, H = 540;

/** Seeded noise (a small LCG), smoothed to hair-sized grains (σ 0.8 px), zero mean, RMS about `amount`. */
function grain(seed: number, amount: number): Float32Array {
  let state = seed;
  const raw = new Float32Array(W * H).map(() => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  });
  const smooth = gaussianBlur(raw, W, H, 0.8);
  let sq = 0;
  for (const v of smooth) sq += v * v;
  const gain = amount / Math.sqrt(sq / smooth.length);
  return smooth.map((v) => v * gain);
}

function frame(luma: Float32Array): RgbFrame {
  const data = new Uint8Array(W * H * 3);
  luma.forEach((v, i) => data.fill(Math.round(255 * Math.min(1, Math.max(0, v))), 3 * i, 3 * i + 3));
  return { width: W, height: H, data };
}

/** A lawn: mid-grey, dense grain on its left quarter, a bright disc (an edge, not texture) on its right. */
const lawn = grain(7, 0.08).map((g, i) => {
  const x = i % W, y = (i - x) / W;
  const disc = (x - 400) ** 2 + (y - 270) ** 2 < 90 ** 2 ? 0.3 : 0;
  return 0.45 + disc + (x < W / 4 ? g : 0);
});

describe('photographic texture carried', () => {
  it('is about 1 when the texture is copied, and about 0 when it is painted over flat', () => {
    expect(textureKept(frame(lawn), frame(lawn)).kept).toBeGreaterThan(0.97);
    const flat = lawn.map((v, i) => (i % W < W / 4 ? 0.45 : v));
    expect(textureKept(frame(lawn), frame(flat)).kept).toBeLessThan(0.05);
  });

  it('is not lowered by marks of the look\'s own laid over the texture', () => {
    const marks = grain(99, 0.08);
    const marked = lawn.map((v, i) => v + marks[i]!);
    const kept = textureKept(frame(lawn), frame(marked)).kept!;
    expect(kept).toBeGreaterThan(0.85);
    expect(kept).toBeLessThan(1.15);
  });

  it('takes texture pixels from the grain, not from the edge of a smooth shape', () => {
    // The disc's rim blurred away and the grain left: still the texture copied.
    const blurredDisc = gaussianBlur(lawn, W, H, 3).map((v, i) => (i % W < W / 4 ? lawn[i]! : v));
    const result = textureKept(frame(lawn), frame(blurredDisc));
    expect(result.kept).toBeGreaterThan(0.9);
    expect(result.share).toBeGreaterThan(0.15);
  });
});
