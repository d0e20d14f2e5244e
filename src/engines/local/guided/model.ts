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
import { computePlanes, FEATURES, gatherFeatures, LUT_FEATURE, PATCH, type PlaneAllocator, type Planes } from './features.ts';
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
 * above 1 it extrapolates the learned change. Writes into `out` when given; `alloc`
 * supplies the planes' arrays (features.ts), fresh ones by default.
 *
 * This is the per-frame hot loop, so gatherFeatures() is inlined here with the same
 * layout (a unit test holds the two to the same answer): each feature is multiplied
 * into the three sums as it is read, in the order of the feature vector, which is the
 * same arithmetic as filling the vector first and taking the dot product after.
 */
export function applyGuidedModel(model: GuidedModel, frame: RgbFrame, strength = 1, out?: Uint8Array, alloc?: PlaneAllocator): Uint8Array {
  const { width, height, data } = frame;
  const result = out ?? new Uint8Array(data.length);
  const planes = computePlanes(frame, alloc);
  const { y: luma, yNear, yFar, rgbNear, grad, std } = planes;
  const { lut } = model;
  // Float64 so the hot loop converts nothing (float32 → float64 is exact).
  const weights = Float64Array.from(model.weights);
  const colour = new Float64Array(3);
  const half = (PATCH - 1) / 2;
  for (let y = 0; y < height; y++) {
    const rowInside = y >= half && y < height - half;
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const p = i * 3;
      const r = data[p]!, g = data[p + 1]!, b = data[p + 2]!;
      const bucket = bucketOf(model, planes, i) * FEATURES * 3;
      let w = bucket;
      // Bias (feature 0 is 1) and colour.
      let v0 = 0, v1 = 0, v2 = 0;
      v0 += weights[w]!; v1 += weights[w + 1]!; v2 += weights[w + 2]!;
      const fr = r / 255, fg = g / 255, fb = b / 255;
      v0 += weights[w + 3]! * fr; v1 += weights[w + 4]! * fr; v2 += weights[w + 5]! * fr;
      v0 += weights[w + 6]! * fg; v1 += weights[w + 7]! * fg; v2 += weights[w + 8]! * fg;
      v0 += weights[w + 9]! * fb; v1 += weights[w + 10]! * fb; v2 += weights[w + 11]! * fb;
      w += 12;
      // The luma patch, row by row.
      if (rowInside && x >= half && x < width - half) {
        for (let dy = 0; dy < PATCH; dy++) {
          const base = (y + dy - half) * width + x - half;
          for (let dx = 0; dx < PATCH; dx++, w += 3) {
            const value = luma[base + dx]!;
            v0 += weights[w]! * value; v1 += weights[w + 1]! * value; v2 += weights[w + 2]! * value;
          }
        }
      } else {
        for (let dy = -half; dy <= half; dy++) {
          const row = Math.min(height - 1, Math.max(0, y + dy)) * width;
          for (let dx = -half; dx <= half; dx++, w += 3) {
            const value = luma[row + Math.min(width - 1, Math.max(0, x + dx))]!;
            v0 += weights[w]! * value; v1 += weights[w + 1]! * value; v2 += weights[w + 2]! * value;
          }
        }
      }
      // Wider scales, blurred colour, gradient and contrast, then the colour stage.
      w = bucket + PATCH_END * 3;
      let value = yNear[i]!;
      v0 += weights[w]! * value; v1 += weights[w + 1]! * value; v2 += weights[w + 2]! * value;
      value = yFar[i]!;
      v0 += weights[w + 3]! * value; v1 += weights[w + 4]! * value; v2 += weights[w + 5]! * value;
      value = rgbNear[p]!;
      v0 += weights[w + 6]! * value; v1 += weights[w + 7]! * value; v2 += weights[w + 8]! * value;
      value = rgbNear[p + 1]!;
      v0 += weights[w + 9]! * value; v1 += weights[w + 10]! * value; v2 += weights[w + 11]! * value;
      value = rgbNear[p + 2]!;
      v0 += weights[w + 12]! * value; v1 += weights[w + 13]! * value; v2 += weights[w + 14]! * value;
      value = grad[i]!;
      v0 += weights[w + 15]! * value; v1 += weights[w + 16]! * value; v2 += weights[w + 17]! * value;
      value = std[i]!;
      v0 += weights[w + 18]! * value; v1 += weights[w + 19]! * value; v2 += weights[w + 20]! * value;
      w = bucket + LUT_FEATURE * 3;
      applyColourLut(lut, r, g, b, colour, 0);
      for (let c = 0; c < 3; c++, w += 3) {
        value = colour[c]!;
        v0 += weights[w]! * value; v1 += weights[w + 1]! * value; v2 += weights[w + 2]! * value;
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
