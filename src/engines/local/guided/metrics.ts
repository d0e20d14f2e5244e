/**
 * The two figures guided mode is judged by, on 8-bit RGB frames of one size:
 * SSIM of luma over non-overlapping 8×8 blocks (structure and contrast) and the mean
 * CIE76 ΔE after a 5×5 box blur of both frames (colour, forgiving small texture
 * offsets). The keyframe fit in the interpretation and the tests use the same code.
 */

/** An interleaved 8-bit RGB frame. */
export interface RgbFrame {
  width: number;
  height: number;
  data: Uint8Array;
}

const C1 = 1e-4;
const C2 = 9e-4;
const BLOCK = 8;

function luma(frame: RgbFrame): Float32Array {
  const { data } = frame;
  const out = new Float32Array(frame.width * frame.height);
  for (let i = 0, j = 0; i < out.length; i++, j += 3) {
    out[i] = (0.299 * data[j]! + 0.587 * data[j + 1]! + 0.114 * data[j + 2]!) / 255;
  }
  return out;
}

/** Mean SSIM of luma (0..1 values) over non-overlapping 8×8 blocks. */
export function ssimY(a: RgbFrame, b: RgbFrame): number {
  const { width, height } = a;
  const ya = luma(a);
  const yb = luma(b);
  let total = 0;
  let blocks = 0;
  const n = BLOCK * BLOCK;
  for (let by = 0; by + BLOCK <= height; by += BLOCK) {
    for (let bx = 0; bx + BLOCK <= width; bx += BLOCK) {
      let sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
      for (let y = by; y < by + BLOCK; y++) {
        for (let x = bx, i = y * width + bx; x < bx + BLOCK; x++, i++) {
          const va = ya[i]!;
          const vb = yb[i]!;
          sa += va; sb += vb; saa += va * va; sbb += vb * vb; sab += va * vb;
        }
      }
      const ma = sa / n;
      const mb = sb / n;
      const va = saa / n - ma * ma;
      const vb = sbb / n - mb * mb;
      const cov = sab / n - ma * mb;
      total += ((2 * ma * mb + C1) * (2 * cov + C2)) / ((ma * ma + mb * mb + C1) * (va + vb + C2));
      blocks++;
    }
  }
  return blocks > 0 ? total / blocks : 1;
}

/** sRGB values 0..255 (fractional after a blur) → CIELAB (D65). */
export function srgbToLab(r: number, g: number, b: number): [number, number, number] {
  return linearToLab(srgbToLinear(r), srgbToLinear(g), srgbToLinear(b));
}

// Module-level helpers rather than closures made per pixel (slow under tsx, which names each).
function srgbToLinear(v: number): number {
  const c = Math.min(1, Math.max(0, v / 255));
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function labF(t: number): number {
  return t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116;
}

function linearToLab(r: number, g: number, b: number): [number, number, number] {
  const x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
  const y = 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
  const z = (0.0193339 * r + 0.119192 * g + 0.9503041 * b) / 1.08883;
  const fx = labF(x);
  const fy = labF(y);
  const fz = labF(z);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/**
 * 5×5 box blur of each channel (edges clamped), kept fractional. Each output is the sum
 * of its five inputs in order (d = −2…2) over 5, with the clamped rows and columns
 * looked up once per row rather than per value.
 */
function boxBlur5(frame: RgbFrame): Float32Array {
  const { width, height, data } = frame;
  const tmp = new Float32Array(data.length);
  const out = new Float32Array(data.length);
  const at = (v: number, size: number): number => Math.min(size - 1, Math.max(0, v));
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const p0 = (row + at(x - 2, width)) * 3, p1 = (row + at(x - 1, width)) * 3, p2 = (row + x) * 3;
      const p3 = (row + at(x + 1, width)) * 3, p4 = (row + at(x + 2, width)) * 3;
      for (let c = 0; c < 3; c++) tmp[p2 + c] = (data[p0 + c]! + data[p1 + c]! + data[p2 + c]! + data[p3 + c]! + data[p4 + c]!) / 5;
    }
  }
  const line = width * 3;
  for (let y = 0; y < height; y++) {
    const r0 = at(y - 2, height) * line, r1 = at(y - 1, height) * line, r2 = y * line, r3 = at(y + 1, height) * line, r4 = at(y + 2, height) * line;
    for (let i = 0; i < line; i++) {
      let s = 0;
      s += tmp[r0 + i]!;
      s += tmp[r1 + i]!;
      s += tmp[r2 + i]!;
      s += tmp[r3 + i]!;
      s += tmp[r4 + i]!;
      out[r2 + i] = s / 5;
    }
  }
  return out;
}

/**
 * A 5×5 mean of 8-bit values is a whole number of 25ths: srgbToLinear of each, looked
 * up rather than raised to the power 2.4 three times a pixel (the costliest part of
 * measuring a 1080p fit). The blurred values carry float32 rounding of a few millionths
 * of a level, which the lookup drops.
 */
const BLURRED_LINEAR = Float64Array.from({ length: 25 * 255 + 1 }, (_, s) => srgbToLinear(s / 25));
function blurredLinear(v: number): number {
  return BLURRED_LINEAR[Math.round(v * 25)]!;
}

/** Mean CIE76 ΔE between the 5×5-blurred frames. */
export function deltaE(a: RgbFrame, b: RgbFrame): number {
  const ba = boxBlur5(a);
  const bb = boxBlur5(b);
  let sum = 0;
  const pixels = a.width * a.height;
  for (let i = 0; i < ba.length; i += 3) {
    const [l1, a1, b1] = linearToLab(blurredLinear(ba[i]!), blurredLinear(ba[i + 1]!), blurredLinear(ba[i + 2]!));
    const [l2, a2, b2] = linearToLab(blurredLinear(bb[i]!), blurredLinear(bb[i + 1]!), blurredLinear(bb[i + 2]!));
    sum += Math.sqrt((l1 - l2) ** 2 + (a1 - a2) ** 2 + (b1 - b2) ** 2);
  }
  return pixels > 0 ? sum / pixels : 0;
}

/** Both figures at once. */
export function compareFrames(a: RgbFrame, b: RgbFrame): { ssim: number; deltaE: number } {
  if (a.width !== b.width || a.height !== b.height) throw new Error('frames differ in size');
  return { ssim: ssimY(a, b), deltaE: deltaE(a, b) };
}
