/**
 * Measures of what a viewer sees in a picture, for the look tests: tone, colour,
 * detail, edges, and the periodic patterns of halftone and hatching. Pictures are RGB
 * buffers (3 bytes a pixel) with their width and height.
 */
import { gaussianBlur, lumaPlane } from '../../src/engines/local/marks/gaussian.ts';

export interface Picture {
  data: Buffer;
  width: number;
  height: number;
}

export const pixelCount = (p: Picture): number => p.width * p.height;

/** Rec. 709 luma per pixel, 0..255. */
export function luma(p: Picture): Float32Array {
  const out = new Float32Array(pixelCount(p));
  for (let i = 0; i < out.length; i++) {
    out[i] = 0.2126 * (p.data[3 * i] ?? 0) + 0.7152 * (p.data[3 * i + 1] ?? 0) + 0.0722 * (p.data[3 * i + 2] ?? 0);
  }
  return out;
}

/** Per-pixel saturation, max − min of the channels, 0..255. */
export function chroma(p: Picture): Float32Array {
  const out = new Float32Array(pixelCount(p));
  for (let i = 0; i < out.length; i++) {
    const r = p.data[3 * i] ?? 0;
    const g = p.data[3 * i + 1] ?? 0;
    const b = p.data[3 * i + 2] ?? 0;
    out[i] = Math.max(r, g, b) - Math.min(r, g, b);
  }
  return out;
}

export function mean(values: ArrayLike<number>, where?: (i: number) => boolean): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    if (where && !where(i)) continue;
    sum += values[i] ?? 0;
    n++;
  }
  return n > 0 ? sum / n : NaN;
}

export function std(values: ArrayLike<number>): number {
  const m = mean(values);
  return Math.sqrt(mean(Array.from(values, (v) => (v - m) ** 2)));
}

/** Box blur of a plane with a (2r+1)² window, edges clamped. */
export function boxBlur(plane: Float32Array, width: number, height: number, r: number): Float32Array {
  const tmp = new Float32Array(plane.length);
  const out = new Float32Array(plane.length);
  const at = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let d = -r; d <= r; d++) s += plane[y * width + at(x + d, 0, width - 1)] ?? 0;
      tmp[y * width + x] = s / (2 * r + 1);
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let d = -r; d <= r; d++) s += tmp[at(y + d, 0, height - 1) * width + x] ?? 0;
      out[y * width + x] = s / (2 * r + 1);
    }
  }
  return out;
}

/** Gradient magnitude (central differences) of a plane. */
export function gradient(plane: Float32Array, width: number, height: number): Float32Array {
  const out = new Float32Array(plane.length);
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      out[i] = Math.hypot((plane[i + 1] ?? 0) - (plane[i - 1] ?? 0), (plane[i + width] ?? 0) - (plane[i - width] ?? 0)) / 2;
    }
  }
  return out;
}

/** Fine detail: mean absolute difference from a 3×3 box blur. */
export function detail(plane: Float32Array, width: number, height: number): number {
  const blurred = boxBlur(plane, width, height, 1);
  return mean(plane.map((v, i) => Math.abs(v - (blurred[i] ?? 0))));
}

/** Peak signal-to-noise ratio of two pictures of the same size, in dB. */
export function psnr(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += ((a[i] ?? 0) - (b[i] ?? 0)) ** 2;
  return 10 * Math.log10((255 * 255) / Math.max(sum / a.length, 1e-9));
}

/**
 * The Fourier coefficient of a plane at one spatial wave (period in pixels, direction in
 * degrees), over the pixels `where` holds (all by default), after the mean of those
 * pixels is taken off; with how many pixels it covers and their mean.
 */
export function waveCoefficient(
  plane: Float32Array, width: number, height: number, period: number, angle: number, where?: (i: number) => boolean,
): { re: number; im: number; count: number; mean: number } {
  const a = (angle * Math.PI) / 180;
  const kx = ((2 * Math.PI) / period) * Math.cos(a);
  const ky = ((2 * Math.PI) / period) * Math.sin(a);
  const m = mean(plane, where);
  let re = 0;
  let im = 0;
  let count = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (where && !where(i)) continue;
      const v = (plane[i] ?? 0) - m;
      const phase = kx * x + ky * y;
      re += v * Math.cos(phase);
      im += v * Math.sin(phase);
      count++;
    }
  }
  return { re, im, count, mean: m };
}

/**
 * Energy of a plane at one spatial wave (period in pixels, direction in degrees): the
 * squared magnitude of its Fourier coefficient there, per pixel. A halftone screen or a
 * line screen shows as a peak at its own wave.
 */
export function waveEnergy(plane: Float32Array, width: number, height: number, period: number, angle: number): number {
  const { re, im, count } = waveCoefficient(plane, width, height, period, angle);
  return (re * re + im * im) / count;
}

/** What counts as a drawn line pixel: its luma (0..1) against its neighbourhood's tone (σ 6). */
export type LineTest = (value: number, local: number) => boolean;
/** A pixel darker than half its surroundings, or nearly black: an outline of any colour of ink. */
export const darkLine: LineTest = (value, local) => value < 0.5 * local || value < 0.12;
/** A nearly black pixel: ink. */
export const blackLine: LineTest = (value) => value < 0.15;

/**
 * How much of the source's strong edges a look draws over with a line: the share of
 * edge pixels (a step of at least 0.12 in the source's luma blurred at σ 1.5) with a
 * line pixel (`line`) within two pixels in `out`.
 */
export function edgesInked(source: Pick<Picture, 'width' | 'height'> & { data: Uint8Array }, out: { data: Uint8Array }, line: LineTest = darkLine): number {
  const { width, height } = source;
  const y = gaussianBlur(lumaPlane(source.data, width, height), width, height, 1.5);
  const o = lumaPlane(out.data, width, height);
  const local = gaussianBlur(o, width, height, 6);
  let edges = 0, inked = 0;
  for (let r = 3; r < height - 3; r++) {
    for (let c = 3; c < width - 3; c++) {
      const gx = y[r * width + c + 1]! - y[r * width + c - 1]!, gy = y[(r + 1) * width + c]! - y[(r - 1) * width + c]!;
      if (Math.hypot(gx, gy) < 0.12) continue;
      edges++;
      let dark = false;
      for (let dy = -2; dy <= 2 && !dark; dy++) for (let dx = -2; dx <= 2 && !dark; dx++) {
        const q = (r + dy) * width + c + dx;
        dark = line(o[q]!, local[q]!);
      }
      if (dark) inked++;
    }
  }
  return inked / Math.max(1, edges);
}
