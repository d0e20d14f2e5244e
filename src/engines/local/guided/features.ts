/**
 * What the guided mapping sees of a pixel: its colour, the 5×5 luma patch around it,
 * luma and colour blurred at wider scales, gradient strength and local contrast. All
 * are functions of local appearance only (never of position), so a mapping learned on
 * frame 0 applies after camera moves and cuts. The planes are computed once per frame
 * with running sums (cost independent of the blur radius); the feature vector of a
 * pixel is gathered from them on demand, so a 1080p frame never holds 40 full planes.
 */
import type { RgbFrame } from './metrics.ts';

/** Blur radii (pixels at the working size) of the two wide luma scales and the colour scale. */
export const NEAR_RADIUS = 4;
export const FAR_RADIUS = 12;

export interface Planes {
  width: number;
  height: number;
  /** Luma 0..1 (BT.601 weights, as the measurement uses). */
  y: Float32Array;
  /** Luma blurred with a box of radius NEAR_RADIUS and FAR_RADIUS. */
  yNear: Float32Array;
  yFar: Float32Array;
  /** Colour 0..1 blurred with a box of radius NEAR_RADIUS, interleaved RGB. */
  rgbNear: Float32Array;
  /** Sobel gradient of luma (divided by 4, so a unit step gives 1 over two pixels). */
  gx: Float32Array;
  gy: Float32Array;
  /** Gradient magnitude, √(gx² + gy²). */
  grad: Float32Array;
  /** Standard deviation of luma over 5×5. */
  std: Float32Array;
  /**
   * The gradient magnitude of lightly smoothed luma where it peaks across the edge (not
   * below either neighbour along the gradient direction), else 0: a thin line's centre,
   * as edge detectors (non-maximum suppression) and line-drawing restyles draw it, which
   * no linear mix of the patch can single out.
   */
  ridge: Float32Array;
  /** 3 × n floats the planes no longer need: the caller may write its results here. */
  spare: Float32Array;
}

/**
 * Where the planes' arrays come from: fresh ones by default; a mapper that works through
 * many frames of one size passes an allocator that hands out the same (zeroed) arrays
 * again for every frame, which saves the allocation and keeps memory flat.
 */
export type PlaneAllocator = (length: number) => Float32Array;
const fresh: PlaneAllocator = (length) => new Float32Array(length);

/** Where a blur writes: `out` (the result) and `tmp` (the horizontal pass), each at least as long as the source. */
export interface BlurBuffers {
  out: Float32Array;
  tmp: Float32Array;
}

/**
 * Box blur of a single plane (or of `stride` interleaved channels) with clamped edges.
 * Every element of the buffers is written, so reused ones need no clearing.
 */
export function boxBlur(
  src: Float32Array, width: number, height: number, radius: number, stride = 1,
  buffers: BlurBuffers = { out: new Float32Array(src.length), tmp: new Float32Array(src.length) },
): Float32Array {
  const { tmp, out } = buffers;
  const norm = 1 / (2 * radius + 1);
  for (let c = 0; c < stride; c++) {
    for (let y = 0; y < height; y++) {
      const row = y * width;
      let s = 0;
      for (let d = -radius; d <= radius; d++) s += src[(row + Math.min(width - 1, Math.max(0, d))) * stride + c]!;
      // Away from the edges no index needs clamping: the same sums, without the checks.
      const inFrom = Math.min(radius, width), inTo = Math.max(inFrom, width - radius - 1);
      const ahead = (radius + 1) * stride, behind = radius * stride;
      for (let x = 0; x < width; x++) {
        if (x === inFrom) {
          for (let i = (row + x) * stride + c; x < inTo; x++, i += stride) {
            tmp[i] = s * norm;
            s += src[i + ahead]! - src[i - behind]!;
          }
        }
        tmp[(row + x) * stride + c] = s * norm;
        const enter = Math.min(width - 1, x + radius + 1);
        const leave = Math.max(0, x - radius);
        s += src[(row + enter) * stride + c]! - src[(row + leave) * stride + c]!;
      }
    }
    // Vertical pass row by row (a running sum per column), so memory is read in order.
    const sums = new Float64Array(width);
    for (let d = -radius; d <= radius; d++) {
      const row = Math.min(height - 1, Math.max(0, d)) * width;
      for (let x = 0; x < width; x++) sums[x]! += tmp[(row + x) * stride + c]!;
    }
    for (let y = 0; y < height; y++) {
      const row = y * width;
      const enter = Math.min(height - 1, y + radius + 1) * width;
      const leave = Math.max(0, y - radius) * width;
      for (let x = 0; x < width; x++) {
        out[(row + x) * stride + c] = sums[x]! * norm;
        sums[x]! += tmp[(enter + x) * stride + c]! - tmp[(leave + x) * stride + c]!;
      }
    }
  }
  return out;
}

/**
 * The ridge plane (Planes.ridge) into `out`, of luma smoothed twice over 3×3 (close to
 * the Gaussian an edge detector smooths with first); `work` and `tmp` (3 × n each) are
 * scratch.
 */
function computeRidge(y: Float32Array, width: number, height: number, out: Float32Array, work: Float32Array, tmp: Float32Array): Float32Array {
  const n = width * height;
  const once = boxBlur(y, width, height, 1, 1, { out: work.subarray(0, n), tmp });
  const smooth = boxBlur(once, width, height, 1, 1, { out: work.subarray(n, 2 * n), tmp });
  const gx = tmp.subarray(0, n), gy = tmp.subarray(n, 2 * n), grad = tmp.subarray(2 * n, 3 * n);
  // The frame's border has no gradient here (and so no ridge).
  grad.fill(0);
  for (let row = 1; row < height - 1; row++) {
    for (let x = 1, i = row * width + 1; x < width - 1; x++, i++) {
      const up = i - width, down = i + width;
      const dx = (smooth[up + 1]! - smooth[up - 1]! + 2 * (smooth[i + 1]! - smooth[i - 1]!) + smooth[down + 1]! - smooth[down - 1]!) / 4;
      const dy = (smooth[down - 1]! - smooth[up - 1]! + 2 * (smooth[down]! - smooth[up]!) + smooth[down + 1]! - smooth[up + 1]!) / 4;
      gx[i] = dx;
      gy[i] = dy;
      grad[i] = Math.sqrt(dx * dx + dy * dy);
    }
  }
  out.fill(0);
  for (let row = 1; row < height - 1; row++) {
    for (let x = 1, i = row * width + 1; x < width - 1; x++, i++) {
      const g = grad[i]!;
      if (g === 0) continue;
      const ax = Math.abs(gx[i]!), ay = Math.abs(gy[i]!);
      // The neighbour step along the gradient, quantised to 0°, 45°, 90° or 135°.
      const step = ay <= 0.4142 * ax ? 1 : ax <= 0.4142 * ay ? width : (gx[i]! > 0) === (gy[i]! > 0) ? width + 1 : width - 1;
      if (g >= grad[i + step]! && g >= grad[i - step]!) out[i] = g;
    }
  }
  return out;
}

/**
 * The planes of one frame. Intermediate results share two arrays of 3 × n: the blurs'
 * horizontal pass (and the ridge's gradients), and luma², the 5×5 means, the ridge's
 * smoothed luma and then the unblurred colour; the second one is free for the caller
 * once this returns (`spare`).
 */
export function computePlanes(frame: RgbFrame, alloc = fresh): Planes {
  const { width, height, data } = frame;
  const n = width * height;
  const y = alloc(n);
  const tmp = alloc(n * 3);
  const spare = alloc(n * 3);
  const ySq = spare.subarray(0, n);
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    const v = 0.299 * (data[j]! / 255) + 0.587 * (data[j + 1]! / 255) + 0.114 * (data[j + 2]! / 255);
    y[i] = v;
    ySq[i] = v * v;
  }
  const gx = alloc(n);
  const gy = alloc(n);
  for (let row = 0; row < height; row++) {
    const up = Math.max(0, row - 1) * width;
    const mid = row * width;
    const down = Math.min(height - 1, row + 1) * width;
    for (let x = 0; x < width; x++) {
      const l = Math.max(0, x - 1);
      const r = Math.min(width - 1, x + 1);
      gx[mid + x] = (y[up + r]! - y[up + l]! + 2 * (y[mid + r]! - y[mid + l]!) + y[down + r]! - y[down + l]!) / 4;
      gy[mid + x] = (y[down + l]! - y[up + l]! + 2 * (y[down + x]! - y[up + x]!) + y[down + r]! - y[up + r]!) / 4;
    }
  }
  const mean5 = boxBlur(y, width, height, 2, 1, { out: spare.subarray(n, 2 * n), tmp });
  const sq5 = boxBlur(ySq, width, height, 2, 1, { out: spare.subarray(2 * n, 3 * n), tmp });
  const std = alloc(n);
  const grad = alloc(n);
  for (let i = 0; i < n; i++) {
    std[i] = Math.sqrt(Math.max(0, sq5[i]! - mean5[i]! * mean5[i]!));
    grad[i] = Math.sqrt(gx[i]! * gx[i]! + gy[i]! * gy[i]!);
  }
  const ridge = computeRidge(y, width, height, alloc(n), spare, tmp);
  // The 5×5 means and the ridge's scratch are done with; the colour takes their place.
  const rgb = spare;
  for (let j = 0; j < n * 3; j++) rgb[j] = data[j]! / 255;
  return {
    width, height, y,
    yNear: boxBlur(y, width, height, NEAR_RADIUS, 1, { out: alloc(n), tmp }),
    yFar: boxBlur(y, width, height, FAR_RADIUS, 1, { out: alloc(n), tmp }),
    rgbNear: boxBlur(rgb, width, height, NEAR_RADIUS, 3, { out: alloc(n * 3), tmp }),
    gx, gy, grad, std, ridge, spare,
  };
}

/**
 * Feature layout: bias, RGB, 5×5 luma patch, two wide lumas, blurred RGB, gradient,
 * contrast, ridge, then the colour stage: the lookup table's RGB and the six tone curves.
 */
export const PATCH = 5;
export const FEATURES = 1 + 3 + PATCH * PATCH + 2 + 3 + 3 + 3 + 6;
/** Index of the lookup table's RGB, and of the tone curves (filled by the caller). */
export const LUT_FEATURE = FEATURES - 9;
export const CURVE_FEATURE = FEATURES - 6;

/**
 * Write the features of pixel (x, y) into `out` (length FEATURES), except the colour
 * stage's (from LUT_FEATURE on), which the caller fills.
 */
export function gatherFeatures(planes: Planes, data: Uint8Array, x: number, yPos: number, out: Float32Array): void {
  const { width, height, y } = planes;
  const i = yPos * width + x;
  out[0] = 1;
  out[1] = data[i * 3]! / 255;
  out[2] = data[i * 3 + 1]! / 255;
  out[3] = data[i * 3 + 2]! / 255;
  let k = 4;
  const half = (PATCH - 1) / 2;
  const inside = x >= half && x < width - half && yPos >= half && yPos < height - half;
  for (let dy = -half; dy <= half; dy++) {
    if (inside) {
      const base = (yPos + dy) * width + x - half;
      for (let dx = 0; dx < PATCH; dx++) out[k++] = y[base + dx]!;
    } else {
      const row = Math.min(height - 1, Math.max(0, yPos + dy)) * width;
      for (let dx = -half; dx <= half; dx++) out[k++] = y[row + Math.min(width - 1, Math.max(0, x + dx))]!;
    }
  }
  out[k++] = planes.yNear[i]!;
  out[k++] = planes.yFar[i]!;
  out[k++] = planes.rgbNear[i * 3]!;
  out[k++] = planes.rgbNear[i * 3 + 1]!;
  out[k++] = planes.rgbNear[i * 3 + 2]!;
  out[k++] = planes.grad[i]!;
  out[k++] = planes.std[i]!;
  out[k] = planes.ridge[i]!;
}
