/**
 * Synthetic frames for the unit tests of guided mode: a smooth colourful texture with
 * edges, deterministic, that a test can shift or restyle with a known per-pixel effect.
 */
import type { RgbFrame } from './metrics.ts';

/** A texture of soft colour gradients, rings and a few hard-edged shapes, offset by (dx, dy). */
export function textureFrame(width: number, height: number, dx = 0, dy = 0): RgbFrame {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = x + dx, v = y + dy;
      const ring = Math.sin(Math.hypot(u - 40, v - 30) / 3) * 40;
      const box = (u % 48) < 20 && (v % 40) < 18 ? 70 : 0;
      const p = (y * width + x) * 3;
      data[p] = Math.max(0, Math.min(255, Math.round(110 + 80 * Math.sin(u / 17) + ring * 0.5 + box)));
      data[p + 1] = Math.max(0, Math.min(255, Math.round(120 + 70 * Math.cos(v / 13) - box * 0.6)));
      data[p + 2] = Math.max(0, Math.min(255, Math.round(100 + 60 * Math.sin((u + v) / 23) + ring)));
    }
  }
  return { width, height, data };
}

/** Apply `effect` to every pixel's RGB. */
export function mapPixels(frame: RgbFrame, effect: (r: number, g: number, b: number) => [number, number, number]): RgbFrame {
  const data = new Uint8Array(frame.data.length);
  for (let p = 0; p < data.length; p += 3) {
    const [r, g, b] = effect(frame.data[p]!, frame.data[p + 1]!, frame.data[p + 2]!);
    data[p] = Math.max(0, Math.min(255, Math.round(r)));
    data[p + 1] = Math.max(0, Math.min(255, Math.round(g)));
    data[p + 2] = Math.max(0, Math.min(255, Math.round(b)));
  }
  return { ...frame, data };
}

/** A relief (emboss) of luma: a spatial effect no colour map can make. */
export function relief(frame: RgbFrame): RgbFrame {
  const { width, height, data } = frame;
  const out = new Uint8Array(data.length);
  const luma = (x: number, y: number): number => {
    const p = (Math.min(height - 1, Math.max(0, y)) * width + Math.min(width - 1, Math.max(0, x))) * 3;
    return 0.299 * data[p]! + 0.587 * data[p + 1]! + 0.114 * data[p + 2]!;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = Math.max(0, Math.min(255, Math.round(128 + 2 * (luma(x + 1, y + 1) - luma(x - 1, y - 1)))));
      out.fill(v, (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
  }
  return { width, height, data: out };
}

/** An unrelated picture: blocks of pseudo-random colour (a fixed hash, so deterministic). */
export function blocksFrame(width: number, height: number, block = 12): RgbFrame {
  const data = new Uint8Array(width * height * 3);
  const hash = (n: number): number => ((Math.imul(n ^ (n >>> 15), 2246822519) ^ Math.imul(n, 3266489917)) >>> 0) / 4294967296;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const cell = Math.floor(y / block) * 1000 + Math.floor(x / block);
      for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = Math.floor(hash(cell * 3 + c + 1) * 256);
    }
  }
  return { width, height, data };
}
