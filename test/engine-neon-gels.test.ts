/**
 * Neon's designed light (neon.c): a bright form is rim-lit by two gels, magenta on its
 * left side and cyan on its right, as a neon-lit portrait is, rather than tinted by tone
 * alone (one cyan for every light, which viewers called "an edge-glow filter, no designed
 * light"). A synthetic grey disk on a dark ground, so the colour comes from the look.
 */
import { describe, expect, it } from 'vitest';
import type { RgbFrame } from '../src/engines/local/guided/metrics.ts';
import { markStill } from '../src/engines/local/marks/still.ts';

const W = 960, H = 540, CX = 480, CY = 270, R = 170;

function disk(): RgbFrame {
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      // A lit sphere's shading, lighter toward its top, on a dark grey ground.
      const d = Math.hypot(x - CX, y - CY) / R;
      const v = d <= 1 ? 150 + 50 * Math.sqrt(1 - d * d) - 20 * ((y - CY) / R) : 40;
      data.fill(Math.round(v), 3 * (y * W + x), 3 * (y * W + x) + 3);
    }
  return { width: W, height: H, data };
}

/** Mean colour of a box. */
function mean(f: RgbFrame, x0: number, y0: number, x1: number, y1: number): [number, number, number] {
  const s = [0, 0, 0];
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) for (let c = 0; c < 3; c++) s[c]! += f.data[3 * (y * W + x) + c]!;
  const n = (x1 - x0) * (y1 - y0);
  return s.map((v) => v / n) as [number, number, number];
}

describe('neon gels', () => {
  it("lights a bright form's left rim magenta and its right rim cyan", () => {
    const out = markStill('neon', disk(), [1]);
    // Just inside the disk's silhouette, at its middle height, clear of the tube on the edge itself.
    const [lr, lg, lb] = mean(out, CX - R + 14, CY - 20, CX - R + 30, CY + 20);
    const [rr, rg, rb] = mean(out, CX + R - 30, CY - 20, CX + R - 14, CY + 20);
    console.log(`left rim ${[lr, lg, lb].map(Math.round).join(',')}, right rim ${[rr, rg, rb].map(Math.round).join(',')}`);
    // Magenta: red and blue well over green; cyan: green and blue well over red.
    expect(lr - lg).toBeGreaterThan(25);
    expect(lb - lg).toBeGreaterThan(25);
    expect(rg - rr).toBeGreaterThan(25);
    expect(rb - rr).toBeGreaterThan(25);
  });
});
