/**
 * The second stage of the guided mapping, in the spirit of auto-context (Tu and Bai,
 * 2010): a regression from the first stage's output around a pixel (its colour, the
 * 3×3 luma patch, two blurred lumas and its gradient) to the image's colour, bucketed
 * by the first stage's luma level and edge strength. A linear first stage blurs what
 * the restyle made hard: posterised or thresholded steps, thin lines, flat paint
 * strokes; seeing its own neighbourhood, and a separate fit per output level, the second
 * stage puts the steps and lines back. Deterministic per pixel, like the first stage.
 */
import { boxBlur, type PlaneAllocator } from './features.ts';
import type { RgbFrame } from './metrics.ts';
import { addSample, normalEquations, solveBuckets } from './ridge.ts';

/** Feature layout: bias, first-stage RGB, its 3×3 luma patch, its luma blurred over 5×5 and 9×9, source luma, first-stage gradient. */
export const CONTEXT_FEATURES = 1 + 3 + 9 + 2 + 1 + 1;
/** First-stage luma levels (equal widths) times flat | edge. */
const LEVELS = 8;
export const CONTEXT_BUCKETS = LEVELS * 2;

export interface ContextStage {
  /** First-stage gradient at and above which a pixel is an edge. */
  gradientCut: number;
  /** CONTEXT_BUCKETS × CONTEXT_FEATURES × 3 weights: bucket, then feature, then output channel. */
  weights: Float32Array;
}

interface ContextPlanes {
  width: number;
  height: number;
  luma: Float32Array;
  near: Float32Array;
  wide: Float32Array;
  grad: Float32Array;
  sourceLuma: Float32Array;
}

function contextPlanes(frame: RgbFrame, first: Float32Array, alloc: PlaneAllocator): ContextPlanes {
  const { width, height, data } = frame;
  const n = width * height;
  const luma = alloc(n);
  const sourceLuma = alloc(n);
  for (let i = 0, p = 0; i < n; i++, p += 3) {
    luma[i] = 0.299 * first[p]! + 0.587 * first[p + 1]! + 0.114 * first[p + 2]!;
    sourceLuma[i] = (0.299 * data[p]! + 0.587 * data[p + 1]! + 0.114 * data[p + 2]!) / 255;
  }
  const grad = alloc(n);
  for (let y = 0; y < height; y++) {
    const up = Math.max(0, y - 1) * width, down = Math.min(height - 1, y + 1) * width, row = y * width;
    for (let x = 0; x < width; x++) {
      const dx = luma[row + Math.min(width - 1, x + 1)]! - luma[row + Math.max(0, x - 1)]!;
      const dy = luma[down + x]! - luma[up + x]!;
      grad[row + x] = Math.sqrt(dx * dx + dy * dy) / 2;
    }
  }
  const tmp = alloc(n);
  const near = boxBlur(luma, width, height, 2, 1, { out: alloc(n), tmp });
  const wide = boxBlur(luma, width, height, 4, 1, { out: alloc(n), tmp });
  return { width, height, luma, near, wide, grad, sourceLuma };
}

function bucketOf(stage: Pick<ContextStage, 'gradientCut'>, planes: ContextPlanes, i: number): number {
  const level = Math.min(LEVELS - 1, Math.max(0, Math.floor(planes.luma[i]! * LEVELS)));
  return level * 2 + (planes.grad[i]! >= stage.gradientCut ? 1 : 0);
}

/** The features of pixel (x, y) into `out` (length CONTEXT_FEATURES). */
function gather(planes: ContextPlanes, first: Float32Array, x: number, y: number, out: Float64Array | Float32Array): void {
  const { width, height, luma } = planes;
  const i = y * width + x;
  out[0] = 1;
  out[1] = first[i * 3]!;
  out[2] = first[i * 3 + 1]!;
  out[3] = first[i * 3 + 2]!;
  let k = 4;
  if (x > 0 && y > 0 && x < width - 1 && y < height - 1) {
    for (let dy = -width; dy <= width; dy += width) {
      out[k++] = luma[i + dy - 1]!;
      out[k++] = luma[i + dy]!;
      out[k++] = luma[i + dy + 1]!;
    }
  } else {
    for (let dy = -1; dy <= 1; dy++) {
      const row = Math.min(height - 1, Math.max(0, y + dy)) * width;
      for (let dx = -1; dx <= 1; dx++) out[k++] = luma[row + Math.min(width - 1, Math.max(0, x + dx))]!;
    }
  }
  out[k++] = planes.near[i]!;
  out[k++] = planes.wide[i]!;
  out[k++] = planes.sourceLuma[i]!;
  out[k] = planes.grad[i]!;
}

/**
 * Fit the second stage from the first stage's output on frame 0 (`first`, RGB 0..1) to
 * the image, from every `step`-th pixel (and only `valid` ones, when given).
 */
export function fitContextStage(source: RgbFrame, first: Float32Array, target: RgbFrame, options: { step: number; valid?: Uint8Array | undefined }): ContextStage {
  const { width, height } = source;
  const planes = contextPlanes(source, first, (length) => new Float32Array(length));
  const sorted: number[] = [];
  for (let i = 0; i < planes.grad.length; i += Math.max(1, Math.floor(planes.grad.length / 20_000))) sorted.push(planes.grad[i]!);
  sorted.sort((a, b) => a - b);
  const stage = { gradientCut: Math.max(0.01, sorted[Math.floor(sorted.length * 0.7)] ?? 0) };
  const equations = Array.from({ length: CONTEXT_BUCKETS }, () => normalEquations(CONTEXT_FEATURES, 3));
  const f = new Float64Array(CONTEXT_FEATURES);
  const t = new Float64Array(3);
  const { step, valid } = options;
  for (let y = 0; y < height; y++) {
    for (let x = (y * 7) % step; x < width; x += step) {
      const i = y * width + x;
      if (valid && !valid[i]) continue;
      gather(planes, first, x, y, f);
      t[0] = target.data[i * 3]! / 255;
      t[1] = target.data[i * 3 + 1]! / 255;
      t[2] = target.data[i * 3 + 2]! / 255;
      addSample(equations[bucketOf(stage, planes, i)]!, f, t);
    }
  }
  return { ...stage, weights: solveBuckets(equations, 1e-5, 20) };
}

/**
 * The second stage's output (RGB 0..1, clamped) from the first stage's on `frame`,
 * written over `first`: a pixel's own first-stage colour is read just before its result
 * replaces it, and its neighbours are read from the planes, so this is safe in place.
 * `alloc` supplies the planes' arrays.
 */
export function applyContextStage(
  stage: ContextStage, frame: RgbFrame, first: Float32Array, alloc: PlaneAllocator = (length) => new Float32Array(length),
): Float32Array {
  const { width, height } = frame;
  const planes = contextPlanes(frame, first, alloc);
  const out = first;
  const f = new Float64Array(CONTEXT_FEATURES);
  const { weights } = stage;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      gather(planes, first, x, y, f);
      let w = bucketOf(stage, planes, i) * CONTEXT_FEATURES * 3;
      let v0 = 0, v1 = 0, v2 = 0;
      for (let k = 0; k < CONTEXT_FEATURES; k++, w += 3) {
        const value = f[k]!;
        v0 += weights[w]! * value;
        v1 += weights[w + 1]! * value;
        v2 += weights[w + 2]! * value;
      }
      out[i * 3] = v0 <= 0 ? 0 : v0 >= 1 ? 1 : v0;
      out[i * 3 + 1] = v1 <= 0 ? 0 : v1 >= 1 ? 1 : v1;
      out[i * 3 + 2] = v2 <= 0 ? 0 : v2 >= 1 ? 1 : v2;
    }
  }
  return out;
}
