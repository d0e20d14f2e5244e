/**
 * The guided mapping: source appearance → restyled appearance, learned from one pair
 * (frame 0 and the image) and applied to every frame. Locally linear regression in the
 * spirit of RAISR / A+: pixels are hashed into buckets by luma level, gradient
 * strength and gradient direction; each bucket has its own ridge regression from the
 * pixel's features (features.ts) plus the colour stage (colour-lut.ts) to output RGB.
 * Buckets are shrunk toward one global regression, so a bucket frame 0 barely showed
 * behaves like the global fit rather than like noise. Everything is deterministic per
 * pixel: no randomness, so the output flickers only where the source does.
 */
import { applyColourLut, fitColourLut, type ColourLut } from './colour-lut.ts';
import { computePlanes, FEATURES, gatherFeatures, LUT_FEATURE, PATCH, type Planes } from './features.ts';
import type { RgbFrame } from './metrics.ts';
import { addEquations, addSample, normalEquations, solveRidge, type NormalEquations } from './ridge.ts';

const ORIENTATIONS = 8;
const STRENGTHS = 2;
const LUMA_LEVELS = 3;
const PER_LEVEL = 1 + ORIENTATIONS * STRENGTHS;
/** Index of the first feature after the luma patch (see gatherFeatures). */
const PATCH_END = 4 + PATCH * PATCH;
export const BUCKETS = LUMA_LEVELS * PER_LEVEL;

export interface GuidedModel {
  /** Luma thresholds between the levels, and gradient thresholds flat|soft|strong. */
  lumaCuts: [number, number];
  gradientCuts: [number, number];
  lut: ColourLut;
  /** BUCKETS × FEATURES × 3 weights: bucket, then feature, then output channel. */
  weights: Float32Array;
}

export interface FitOptions {
  /** Ridge penalty of the global regression, per sample. Default 1e-5. */
  globalLambda?: number;
  /** Pull of each bucket toward the global regression. Default 20. */
  bucketLambda?: number;
  /** Most pixel pairs used; larger frames are subsampled evenly. Default 160 000. */
  maxSamples?: number;
  /** Pixels of the target to learn from (1) or ignore (0). Default: all. */
  valid?: Uint8Array | undefined;
}

function quantile(values: Float32Array, q: number, step: number): number {
  const picked: number[] = [];
  for (let i = 0; i < values.length; i += step) picked.push(values[i]!);
  picked.sort((a, b) => a - b);
  return picked[Math.min(picked.length - 1, Math.floor(q * picked.length))] ?? 0;
}

/** One of eight 45° sectors of the gradient direction (full circle: a dark-to-light edge differs from light-to-dark). */
function direction(gx: number, gy: number): number {
  const steep = Math.abs(gy) > Math.abs(gx);
  if (gy >= 0) return gx >= 0 ? (steep ? 1 : 0) : steep ? 2 : 3;
  return gx < 0 ? (steep ? 5 : 4) : steep ? 6 : 7;
}

/** The bucket of pixel `i`. */
export function bucketOf(model: Pick<GuidedModel, 'lumaCuts' | 'gradientCuts'>, planes: Planes, i: number): number {
  const luma = planes.y[i]!;
  const level = luma < model.lumaCuts[0] ? 0 : luma < model.lumaCuts[1] ? 1 : 2;
  const strength = planes.grad[i]!;
  if (strength < model.gradientCuts[0]) return level * PER_LEVEL;
  const strong = strength < model.gradientCuts[1] ? 0 : 1;
  return level * PER_LEVEL + 1 + strong * ORIENTATIONS + direction(planes.gx[i]!, planes.gy[i]!);
}

/** Learn the mapping from `source` (frame 0) to `target` (the image), same size. */
export function fitGuidedModel(source: RgbFrame, target: RgbFrame, options: FitOptions = {}): GuidedModel {
  const { width, height } = source;
  const pixels = width * height;
  const step = Math.max(1, Math.ceil(pixels / (options.maxSamples ?? 160_000)));
  const planes = computePlanes(source);
  const gradient = planes.grad;
  const sampleStep = Math.max(1, Math.floor(pixels / 20_000));
  const cuts = {
    lumaCuts: [quantile(planes.y, 1 / 3, sampleStep), quantile(planes.y, 2 / 3, sampleStep)] as [number, number],
    gradientCuts: [Math.max(0.01, quantile(gradient, 0.4, sampleStep)), Math.max(0.03, quantile(gradient, 0.8, sampleStep))] as [number, number],
  };
  const lut = fitColourLut(source.data, target.data, step, options.valid);
  const equations: NormalEquations[] = Array.from({ length: BUCKETS }, () => normalEquations(FEATURES, 3));
  const f = new Float32Array(FEATURES);
  const t = new Float32Array(3);
  // Rows are sampled with an odd offset per row so subsampling does not alias with texture.
  for (let y = 0; y < height; y++) {
    for (let x = (y * 7) % step; x < width; x += step) {
      const i = y * width + x;
      if (options.valid && !options.valid[i]) continue;
      gatherFeatures(planes, source.data, x, y, f);
      applyColourLut(lut, source.data[i * 3]!, source.data[i * 3 + 1]!, source.data[i * 3 + 2]!, f, LUT_FEATURE);
      t[0] = target.data[i * 3]! / 255;
      t[1] = target.data[i * 3 + 1]! / 255;
      t[2] = target.data[i * 3 + 2]! / 255;
      addSample(equations[bucketOf(cuts, planes, i)]!, f, t);
    }
  }
  const total = normalEquations(FEATURES, 3);
  for (const eq of equations) addEquations(total, eq);
  const global = solveRidge(total, (options.globalLambda ?? 1e-5) * total.count + 1e-6);
  const weights = new Float32Array(BUCKETS * 3 * FEATURES);
  const bucketLambda = options.bucketLambda ?? 20;
  equations.forEach((eq, b) => {
    const w = eq.count > 0 ? solveRidge(eq, bucketLambda, global) : global;
    for (let k = 0; k < FEATURES; k++) {
      for (let c = 0; c < 3; c++) weights[(b * FEATURES + k) * 3 + c] = w[k * 3 + c]!;
    }
  });
  return { ...cuts, lut, weights };
}

/**
 * The mapped frame. `strength` blends from the source (0) to the full learned look (1);
 * above 1 it extrapolates the learned change. Writes into `out` when given.
 *
 * This is the per-frame hot loop, so gatherFeatures() is inlined here with the same
 * layout (a unit test holds the two to the same answer).
 */
export function applyGuidedModel(model: GuidedModel, frame: RgbFrame, strength = 1, out?: Uint8Array): Uint8Array {
  const { width, height, data } = frame;
  const result = out ?? new Uint8Array(data.length);
  const planes = computePlanes(frame);
  const { y: luma, yNear, yFar, rgbNear, grad, std } = planes;
  const { weights, lut } = model;
  // Float64 so the hot loop does no float32 rounding on every store.
  const f = new Float64Array(FEATURES);
  const half = (PATCH - 1) / 2;
  for (let y = 0; y < height; y++) {
    const rowInside = y >= half && y < height - half;
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const p = i * 3;
      const r = data[p]!, g = data[p + 1]!, b = data[p + 2]!;
      if (rowInside && x >= half && x < width - half) {
        for (let dy = 0, k = 0; dy < PATCH; dy++) {
          const base = (y + dy - half) * width + x - half;
          for (let dx = 0; dx < PATCH; dx++) f[4 + k++] = luma[base + dx]!;
        }
      } else {
        for (let dy = -half, k = 0; dy <= half; dy++) {
          const row = Math.min(height - 1, Math.max(0, y + dy)) * width;
          for (let dx = -half; dx <= half; dx++) f[4 + k++] = luma[row + Math.min(width - 1, Math.max(0, x + dx))]!;
        }
      }
      f[0] = 1;
      f[1] = r / 255;
      f[2] = g / 255;
      f[3] = b / 255;
      f[PATCH_END] = yNear[i]!;
      f[PATCH_END + 1] = yFar[i]!;
      f[PATCH_END + 2] = rgbNear[p]!;
      f[PATCH_END + 3] = rgbNear[p + 1]!;
      f[PATCH_END + 4] = rgbNear[p + 2]!;
      f[PATCH_END + 5] = grad[i]!;
      f[PATCH_END + 6] = std[i]!;
      applyColourLut(lut, r, g, b, f, LUT_FEATURE);
      let w = bucketOf(model, planes, i) * FEATURES * 3;
      let v0 = 0, v1 = 0, v2 = 0;
      for (let k = 0; k < FEATURES; k++, w += 3) {
        const value = f[k]!;
        v0 += weights[w]! * value;
        v1 += weights[w + 1]! * value;
        v2 += weights[w + 2]! * value;
      }
      const m0 = r + strength * (v0 * 255 - r);
      const m1 = g + strength * (v1 * 255 - g);
      const m2 = b + strength * (v2 * 255 - b);
      result[p] = m0 <= 0 ? 0 : m0 >= 255 ? 255 : Math.round(m0);
      result[p + 1] = m1 <= 0 ? 0 : m1 >= 255 ? 255 : Math.round(m1);
      result[p + 2] = m2 <= 0 ? 0 : m2 >= 255 ? 255 : Math.round(m2);
    }
  }
  return result;
}
