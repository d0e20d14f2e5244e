/**
 * The colour stage of the guided mapping: a 3D lookup table from source RGB to the
 * keyframe's RGB, fitted from the pixel pairs by trilinear splatting. It captures
 * grades that depend on hue and brightness (sepia, teal-and-orange, hue swaps,
 * posterised tones) that no single linear map can. Cells frame 0 never showed are
 * filled from a global affine colour fit, shrunk in smoothly where data is thin, so a
 * colour first seen later in the clip gets the nearest sensible grade, never garbage.
 */
import { addSample, normalEquations, solveRidge } from './ridge.ts';

/** Grid points per axis. */
export const LUT_SIZE = 17;

export interface ColourLut {
  size: number;
  /** size³ × 3 values 0..1, red fastest: index ((b × size + g) × size + r) × 3. */
  table: Float32Array;
}

/** Weight (in samples) of the affine prior at every grid point. */
const PRIOR_WEIGHT = 4;

/**
 * Fit from `source` and `target` (interleaved RGB 0..255, same length), using every
 * `step`-th pixel, and only pixels marked in `valid` when given.
 */
export function fitColourLut(source: Uint8Array, target: Uint8Array, step = 1, valid?: Uint8Array): ColourLut {
  const size = LUT_SIZE;
  const cells = size ** 3;
  const weight = new Float64Array(cells);
  const sums = new Float64Array(cells * 3);
  const affine = normalEquations(4, 3);
  const f = new Float64Array(4);
  const t = new Float64Array(3);
  const scale = (size - 1) / 255;
  for (let p = 0; p < source.length; p += 3 * step) {
    if (valid && !valid[p / 3]) continue;
    const r = source[p]!, g = source[p + 1]!, b = source[p + 2]!;
    t[0] = target[p]! / 255;
    t[1] = target[p + 1]! / 255;
    t[2] = target[p + 2]! / 255;
    f[0] = 1; f[1] = r / 255; f[2] = g / 255; f[3] = b / 255;
    addSample(affine, f, t);
    const fr = r * scale, fg = g * scale, fb = b * scale;
    const r0 = Math.min(size - 2, Math.floor(fr)), g0 = Math.min(size - 2, Math.floor(fg)), b0 = Math.min(size - 2, Math.floor(fb));
    const dr = fr - r0, dg = fg - g0, db = fb - b0;
    for (let corner = 0; corner < 8; corner++) {
      const cr = corner & 1, cg = (corner >> 1) & 1, cb = corner >> 2;
      const w = (cr ? dr : 1 - dr) * (cg ? dg : 1 - dg) * (cb ? db : 1 - db);
      if (w === 0) continue;
      const cell = ((b0 + cb) * size + g0 + cg) * size + r0 + cr;
      weight[cell]! += w;
      sums[cell * 3]! += w * t[0];
      sums[cell * 3 + 1]! += w * t[1];
      sums[cell * 3 + 2]! += w * t[2];
    }
  }
  const map = solveRidge(affine, 1e-3);
  const table = new Float32Array(cells * 3);
  for (let b = 0; b < size; b++) {
    for (let g = 0; g < size; g++) {
      for (let r = 0; r < size; r++) {
        const cell = (b * size + g) * size + r;
        const x = [1, r / (size - 1), g / (size - 1), b / (size - 1)];
        for (let c = 0; c < 3; c++) {
          let prior = 0;
          for (let k = 0; k < 4; k++) prior += x[k]! * map[k * 3 + c]!;
          const value = (sums[cell * 3 + c]! + PRIOR_WEIGHT * prior) / (weight[cell]! + PRIOR_WEIGHT);
          table[cell * 3 + c] = Math.min(1, Math.max(0, value));
        }
      }
    }
  }
  return { size, table };
}

/** Look up RGB 0..255 with trilinear interpolation; writes 0..1 values into `out` at `at`. */
export function applyColourLut(lut: ColourLut, r: number, g: number, b: number, out: Float32Array | Float64Array, at: number): void {
  const { size, table } = lut;
  const scale = (size - 1) / 255;
  const fr = r * scale, fg = g * scale, fb = b * scale;
  const r0 = Math.min(size - 2, Math.floor(fr)), g0 = Math.min(size - 2, Math.floor(fg)), b0 = Math.min(size - 2, Math.floor(fb));
  const dr = fr - r0, dg = fg - g0, db = fb - b0;
  const base = ((b0 * size + g0) * size + r0) * 3;
  const sr = 3, sg = size * 3, sb = size * size * 3;
  for (let c = 0; c < 3; c++) {
    const i = base + c;
    const c00 = table[i]! + (table[i + sr]! - table[i]!) * dr;
    const c10 = table[i + sg]! + (table[i + sg + sr]! - table[i + sg]!) * dr;
    const c01 = table[i + sb]! + (table[i + sb + sr]! - table[i + sb]!) * dr;
    const c11 = table[i + sb + sg]! + (table[i + sb + sg + sr]! - table[i + sb + sg]!) * dr;
    const c0 = c00 + (c10 - c00) * dg;
    const c1 = c01 + (c11 - c01) * dg;
    out[at + c] = c0 + (c1 - c0) * db;
  }
}

/** Levels of a tone curve (one per 8-bit value). */
const CURVE_LEVELS = 256;
/** Weight (in samples) pulling a level toward its neighbours' trend where data is thin. */
const CURVE_PRIOR = 8;

/**
 * Tone curves: the mean output of each channel given the same channel of the source
 * (R→R′, G→G′, B→B′), and the mean output RGB given the source's luma, at every 8-bit
 * level. Unlike the 17³ table they keep a hard step where it is (posterise, threshold,
 * solarise land on one level, not spread over sixteen).
 */
export interface ToneCurves {
  /** CURVE_LEVELS × 6 values 0..1: R→R′, G→G′, B→B′, Y→R′, Y→G′, Y→B′, level fastest-varying last. */
  table: Float32Array;
}

/** Number of features a tone-curve lookup writes. */
export const CURVE_FEATURES = 6;

const lumaLevel = (r: number, g: number, b: number): number => Math.min(255, Math.round(0.299 * r + 0.587 * g + 0.114 * b));

/** Fit the curves from every `step`-th pixel pair (pixels marked in `valid` only, when given). */
export function fitToneCurves(source: Uint8Array, target: Uint8Array, step = 1, valid?: Uint8Array): ToneCurves {
  const sums = new Float64Array(CURVE_LEVELS * CURVE_FEATURES);
  const counts = new Float64Array(CURVE_LEVELS * CURVE_FEATURES);
  for (let p = 0; p < source.length; p += 3 * step) {
    if (valid && !valid[p / 3]) continue;
    const r = source[p]!, g = source[p + 1]!, b = source[p + 2]!;
    const y = lumaLevel(r, g, b);
    const levels = [r, g, b, y, y, y];
    for (let k = 0; k < CURVE_FEATURES; k++) {
      const cell = levels[k]! * CURVE_FEATURES + k;
      sums[cell]! += target[p + (k % 3)]! / 255;
      counts[cell]! += 1;
    }
  }
  const table = new Float32Array(CURVE_LEVELS * CURVE_FEATURES);
  for (let k = 0; k < CURVE_FEATURES; k++) {
    // Where a level has few samples, lean on the levels around it (a wider and wider
    // window until it holds enough), so a level frame 0 barely showed is not noise.
    for (let level = 0; level < CURVE_LEVELS; level++) {
      let sum = 0, count = 0;
      for (let radius = 1; radius < CURVE_LEVELS && count < CURVE_PRIOR; radius *= 2) {
        sum = 0; count = 0;
        for (let l = Math.max(0, level - radius); l <= Math.min(CURVE_LEVELS - 1, level + radius); l++) {
          sum += sums[l * CURVE_FEATURES + k]!;
          count += counts[l * CURVE_FEATURES + k]!;
        }
      }
      const own = level * CURVE_FEATURES + k;
      const trend = count > 0 ? sum / count : level / 255;
      table[own] = (sums[own]! + CURVE_PRIOR * trend) / (counts[own]! + CURVE_PRIOR);
    }
  }
  return { table };
}

/** Look up the curves for RGB 0..255; writes CURVE_FEATURES values 0..1 into `out` at `at`. */
export function applyToneCurves(curves: ToneCurves, r: number, g: number, b: number, out: Float32Array | Float64Array, at: number): void {
  const { table } = curves;
  const y = lumaLevel(r, g, b) * CURVE_FEATURES;
  out[at] = table[r * CURVE_FEATURES]!;
  out[at + 1] = table[g * CURVE_FEATURES + 1]!;
  out[at + 2] = table[b * CURVE_FEATURES + 2]!;
  out[at + 3] = table[y + 3]!;
  out[at + 4] = table[y + 4]!;
  out[at + 5] = table[y + 5]!;
}
