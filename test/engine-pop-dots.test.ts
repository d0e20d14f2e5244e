/**
 * Pop art prints a lit face as Lichtenstein printed one (pop.c): red Ben-Day dots on a
 * pale pink, not a flat peach, the print's screen over the skin as over the other light
 * tints ("no dot screen across the image", the twenty-third panel), but clear of the
 * features, so the eyes and the mouth read as cleanly as on flat skin. A synthetic lit
 * face of light skin, eyes and mouth drawn in, on a blue wall.
 */
import { describe, expect, it } from 'vitest';
import type { RgbFrame } from '../src/engines/local/guided/metrics.ts';
import { markStill } from '../src/engines/local/marks/still.ts';

const W = 960, H = 540, CX = 480, CY = 270, RX = 130, RY = 170;

function face(): RgbFrame {
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const d = Math.hypot((x - CX) / RX, (y - CY) / RY);
      let c = [70, 110, 170];
      if (d <= 1) {
        // Light skin, a little darker toward the edge of the face.
        const lit = 1 - 0.15 * d * d;
        c = [238 * lit, 196 * lit, 172 * lit];
      }
      for (const ex of [-45, 45]) if (Math.hypot((x - CX - ex) / 14, (y - CY + 40) / 7) <= 1) c = [40, 30, 30];
      if (Math.hypot((x - CX) / 40, (y - CY - 70) / 7) <= 1) c = [150, 60, 60];
      data.set(c.map(Math.round), 3 * (y * W + x));
    }
  return { width: W, height: H, data };
}

/** Shares of red dot pixels and of pale ground pixels among the pixels `inside` picks. */
function dotShares(out: RgbFrame, inside: (x: number, y: number) => boolean): { dot: number; ground: number } {
  let dot = 0, ground = 0, all = 0;
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      if (!inside(x, y)) continue;
      const i = 3 * (y * W + x), r = out.data[i]!, g = out.data[i + 1]!;
      all++;
      if (r > 170 && g < 130) dot++;
      else if (r > 200 && g > 160) ground++;
    }
  return { dot: dot / all, ground: ground / all };
}

describe('pop art skin', () => {
  const out = markStill('pop_art', face(), [0.6, 5]);
  // The cheeks: inside the face, clear of the eyes, the mouth and the outline.
  const cheeks = dotShares(out, (x, y) => y >= CY - 10 && y < CY + 40 && ((x >= CX - 100 && x < CX - 40) || (x >= CX + 40 && x < CX + 100)));

  it('prints a lit face in red dots on a pale ground', () => {
    console.log(`cheeks: red dots ${(100 * cheeks.dot).toFixed(1)} %, pale ground ${(100 * cheeks.ground).toFixed(1)} %`);
    expect(cheeks.dot).toBeGreaterThan(0.08);
    expect(cheeks.ground).toBeGreaterThan(0.3);
  });

  it('keeps the screen off the skin around the eyes', () => {
    // A ring 2 to 6 pixels out from each eye.
    const ring = dotShares(out, (x, y) => [-45, 45].some((ex) => {
      const d = Math.hypot((x - CX - ex) / 14, (y - CY + 40) / 7);
      return d > 1 + 2 / 7 && Math.hypot((x - CX - ex) / (14 + 6), (y - CY + 40) / (7 + 6)) <= 1;
    }));
    console.log(`around the eyes: red dots ${(100 * ring.dot).toFixed(1)} %`);
    expect(ring.dot).toBeLessThan(cheeks.dot / 3);
  });
});
