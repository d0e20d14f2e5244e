/**
 * The guided mapping: source appearance → restyled appearance, learned from one pair
 * (frame 0 and the image) and applied to every frame. Locally linear regression in the
 * spirit of RAISR / A+: pixels are hashed into buckets by luma level, gradient
 * strength and gradient direction; each bucket has its own ridge regression from the
 * pixel's features (features.ts) plus the colour stage (colour-lut.ts) to output RGB.
 * Buckets are shrunk toward one global regression, so a bucket frame 0 barely showed
 * behaves like the global fit rather than like noise. A second stage (context-stage.ts)
 * then refines the first stage's output from its own neighbourhood. Everything is
 * deterministic per pixel: no randomness, so the output flickers only where the source
 * does.
 */
import { applyColourLut, applyToneCurves, fitColourLut, fitToneCurves, type ColourLut, type ToneCurves } from './colour-lut.ts';
import { applyContextStage, fitContextStage, type ContextStage } from './context-stage.ts';
import { computePlanes, CURVE_FEATURE, FEATURES, gatherFeatures, LUT_FEATURE, PATCH, type PlaneAllocator, type Planes } from './features.ts';
import type { RgbFrame } from './metrics.ts';
import { addSample, normalEquations, solveBuckets, type NormalEquations } from './ridge.ts';
import { mapWithPixelStage } from '../pixel-stage/index.ts';

const ORIENTATIONS = 8;
const STRENGTHS = 2;
const LUMA_LEVELS = 3;
const PER_LEVEL = 1 + ORIENTATIONS * STRENGTHS;
export const BUCKETS = LUMA_LEVELS * PER_LEVEL;

export interface GuidedModel {
  /** Luma thresholds between the levels, and gradient thresholds flat|soft|strong. */
  lumaCuts: [number, number];
  gradientCuts: [number, number];
  lut: ColourLut;
  curves: ToneCurves;
  /** BUCKETS × FEATURES × 3 weights: bucket, then feature, then output channel. */
  weights: Float32Array;
  /** The second stage; absent, the first stage's output is the result. */
  context?: ContextStage | undefined;
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
  /** Fit the second stage. Default true. */
  context?: boolean;
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
  const first = fitStageOne(source, target, planes, cuts, step, options.valid, options);
  if (options.context === false) return first;
  // The second stage learns from the first stage's output on frame 0 itself; fitting it
  // on output from held-out halves of frame 0 instead measured no better.
  const input = stageOne(first, source, planes);
  const context = fitContextStage(source, input, target, { step, valid: options.valid });
  return { ...first, context };
}

/** The first stage fitted on the pixels of `valid` (all when undefined). */
function fitStageOne(
  source: RgbFrame, target: RgbFrame, planes: Planes, cuts: Pick<GuidedModel, 'lumaCuts' | 'gradientCuts'>, step: number,
  valid: Uint8Array | undefined, options: FitOptions,
): GuidedModel {
  const { width, height } = source;
  const lut = fitColourLut(source.data, target.data, step, valid);
  const curves = fitToneCurves(source.data, target.data, step, valid);
  const equations: NormalEquations[] = Array.from({ length: BUCKETS }, () => normalEquations(FEATURES, 3));
  const f = new Float32Array(FEATURES);
  const t = new Float32Array(3);
  // Rows are sampled with an odd offset per row so subsampling does not alias with texture.
  for (let y = 0; y < height; y++) {
    for (let x = (y * 7) % step; x < width; x += step) {
      const i = y * width + x;
      if (valid && !valid[i]) continue;
      gatherFeatures(planes, source.data, x, y, f);
      applyColourLut(lut, source.data[i * 3]!, source.data[i * 3 + 1]!, source.data[i * 3 + 2]!, f, LUT_FEATURE);
      applyToneCurves(curves, source.data[i * 3]!, source.data[i * 3 + 1]!, source.data[i * 3 + 2]!, f, CURVE_FEATURE);
      t[0] = target.data[i * 3]! / 255;
      t[1] = target.data[i * 3 + 1]! / 255;
      t[2] = target.data[i * 3 + 2]! / 255;
      addSample(equations[bucketOf(cuts, planes, i)]!, f, t);
    }
  }
  const weights = solveBuckets(equations, options.globalLambda ?? 1e-5, options.bucketLambda ?? 20);
  return { ...cuts, lut, curves, weights };
}

/**
 * The first stage's output for every pixel of `frame`: RGB 0..1, interleaved, clamped,
 * written into `planes.spare` (so valid until those planes' arrays are used again).
 *
 * This is the per-frame hot loop, so gatherFeatures() is inlined here with the same
 * layout (a unit test holds the two to the same answer): each feature is multiplied
 * into the three sums as it is read, in the order of the feature vector, which is the
 * same arithmetic as filling the vector first and taking the dot product after.
 */
export function stageOne(model: GuidedModel, frame: RgbFrame, planes: Planes = computePlanes(frame)): Float32Array {
  const { width, height, data } = frame;
  // The planes' spare array: no allocation per frame (and no garbage).
  const result = planes.spare;
  const { y: luma, yNear, yFar, rgbNear, grad, std, ridge } = planes;
  const { lut, curves } = model;
  // Float64 so the hot loop converts nothing (float32 → float64 is exact).
  const weights = Float64Array.from(model.weights);
  const colour = new Float64Array(9);
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
      // Wider scales, blurred colour, gradient, contrast and ridge.
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
      value = ridge[i]!;
      v0 += weights[w + 21]! * value; v1 += weights[w + 22]! * value; v2 += weights[w + 23]! * value;
      // The colour stage: the lookup table's RGB, then the six tone curves.
      applyColourLut(lut, r, g, b, colour, 0);
      applyToneCurves(curves, r, g, b, colour, 3);
      w = bucket + LUT_FEATURE * 3;
      for (let c = 0; c < 9; c++, w += 3) {
        value = colour[c]!;
        v0 += weights[w]! * value; v1 += weights[w + 1]! * value; v2 += weights[w + 2]! * value;
      }
      result[p] = v0 <= 0 ? 0 : v0 >= 1 ? 1 : v0;
      result[p + 1] = v1 <= 0 ? 0 : v1 >= 1 ? 1 : v1;
      result[p + 2] = v2 <= 0 ? 0 : v2 >= 1 ? 1 : v2;
    }
  }
  return result;
}

/**
 * An allocator that hands out the first stage's single planes, which are dead once that
 * stage has run, before asking `alloc`: the second stage then needs no memory of its own.
 */
function recycling(planes: Planes, alloc: PlaneAllocator | undefined): PlaneAllocator {
  const free = [planes.y, planes.gx, planes.gy, planes.grad, planes.std, planes.ridge, planes.yNear, planes.yFar];
  return (length) => {
    const at = free.findIndex((array) => array.length === length);
    if (at < 0) return alloc ? alloc(length) : new Float32Array(length);
    return free.splice(at, 1)[0]!.fill(0);
  };
}

/**
 * The mapped frame. `strength` blends from the source (0) to the full learned look (1);
 * above 1 it extrapolates the learned change. Writes into `out` when given. Runs on the
 * compiled pixel stage (pixel-stage/) when it is in use, else on the reference below;
 * `alloc` supplies the reference's working arrays (the compiled stage keeps its own).
 */
export function applyGuidedModel(model: GuidedModel, frame: RgbFrame, strength = 1, out?: Uint8Array, alloc?: PlaneAllocator): Uint8Array {
  return mapWithPixelStage(model, frame, strength, out) ?? applyGuidedModelReference(model, frame, strength, out, alloc);
}

/**
 * applyGuidedModel in TypeScript: the reference the compiled stage is held to (a test
 * compares the two on every guided fixture), and the path taken without it. `alloc`
 * supplies the working arrays of both stages (features.ts), fresh ones by default.
 */
export function applyGuidedModelReference(model: GuidedModel, frame: RgbFrame, strength = 1, out?: Uint8Array, alloc?: PlaneAllocator): Uint8Array {
  const { data } = frame;
  const result = out ?? new Uint8Array(data.length);
  const planes = computePlanes(frame, alloc);
  const first = stageOne(model, frame, planes);
  const mapped = model.context ? applyContextStage(model.context, frame, first, recycling(planes, alloc)) : first;
  for (let p = 0; p < data.length; p++) {
    const v = data[p]! + strength * (mapped[p]! * 255 - data[p]!);
    result[p] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
  }
  return result;
}
