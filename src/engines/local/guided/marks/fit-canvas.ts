/**
 * Marks tied to the canvas: what a restyle did as a function of position in the frame,
 * kept in place on every frame (a paper border, a vignette, stains, a paper tint). Fitted
 * from the keyframe after the tone mapping: a plain border along each side, then a
 * smooth grid of per-channel gain and offset over the frame (bilinear between cell
 * centres), pulled toward "no change" so it cannot learn the picture itself.
 */
import type { RgbFrame } from '../metrics.ts';

export interface Border {
  /** Thickness in pixels at the working size: top, right, bottom, left. */
  sides: [number, number, number, number];
  colour: [number, number, number];
}

export interface CanvasGrid {
  columns: number;
  rows: number;
  /** Per cell, per channel (cell-major): out = gain · in + offset. */
  gain: Float32Array;
  offset: Float32Array;
}

export interface Canvas {
  border?: Border | undefined;
  grid?: CanvasGrid | undefined;
}

/** Cells across the frame's width; rows follow the aspect ratio. */
const COLUMNS = 12;
/** Pull of each cell's gain toward 1, as luma variance of made-up pixels on the identity. */
const GAIN_PRIOR = 150;
/** The grid is kept only if it explains this share of the keyframe's remaining error... */
const MIN_GAIN_SHARE = 0.2;
/** ...and lowers its RMS by at least this many levels. */
const MIN_RMS_DROP = 2;
/** A border is at most this share of the side it stands on, and at least 2 px thick. */
const MAX_BORDER = 0.1;

const channelMean = (data: Uint8Array, pixels: number[], c: number): number => pixels.reduce((s, i) => s + data[i * 3 + c]!, 0) / pixels.length;

/** Pixels of the line `index` along a side, rows from the top or bottom, columns from the left or right. */
function line(side: number, index: number, width: number, height: number): number[] {
  const out: number[] = [];
  if (side === 0 || side === 2) {
    const y = side === 0 ? index : height - 1 - index;
    for (let x = 0; x < width; x++) out.push(y * width + x);
  } else {
    const x = side === 3 ? index : width - 1 - index;
    for (let y = 0; y < height; y++) out.push(y * width + x);
  }
  return out;
}

/** A plain strip of one colour along the sides of `target` that the mapping did not make. */
export function fitBorder(base: RgbFrame, target: RgbFrame): Border | undefined {
  const { width, height } = target;
  const sides: [number, number, number, number] = [0, 0, 0, 0];
  const colours: number[][] = [];
  for (let side = 0; side < 4; side++) {
    const length = side === 0 || side === 2 ? height : width;
    let first: number[] | undefined;
    let thickness = 0;
    for (let index = 0; index < Math.floor(length * MAX_BORDER); index++) {
      const pixels = line(side, index, width, height);
      const mean = [0, 1, 2].map((c) => channelMean(target.data, pixels, c));
      let spread = 0, away = 0;
      for (const i of pixels) {
        for (let c = 0; c < 3; c++) {
          spread += Math.abs(target.data[i * 3 + c]! - mean[c]!);
          away += Math.abs(target.data[i * 3 + c]! - base.data[i * 3 + c]!);
        }
      }
      spread /= pixels.length * 3;
      away /= pixels.length * 3;
      first ??= mean;
      const sameColour = mean.every((m, c) => Math.abs(m - first![c]!) < 16);
      if (spread > 8 || away < 10 || !sameColour) break;
      thickness = index + 1;
    }
    if (thickness >= 2 && first) {
      sides[side] = thickness;
      colours.push(first);
    }
  }
  if (colours.length === 0) return undefined;
  const colour = [0, 1, 2].map((c) => Math.round(colours.reduce((s, m) => s + m[c]!, 0) / colours.length)) as [number, number, number];
  return { sides, colour };
}

/** 1 where the border covers the pixel. */
export function borderMask(border: Border | undefined, width: number, height: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  if (!border) return mask;
  const [top, right, bottom, left] = border.sides;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (y < top || y >= height - bottom || x < left || x >= width - right) mask[y * width + x] = 1;
    }
  }
  return mask;
}

const gridRows = (width: number, height: number): number => Math.max(3, Math.round((COLUMNS * height) / width));

/** Least-squares gain and offset per cell and channel, pulled toward the identity, then smoothed once. */
function fitGridCells(base: RgbFrame, target: RgbFrame, skip: Uint8Array): CanvasGrid {
  const { width, height } = target;
  const columns = COLUMNS, rows = gridRows(width, height);
  const cells = columns * rows;
  const sums = new Float64Array(cells * 3 * 5);
  for (let y = 0; y < height; y++) {
    const cy = Math.min(rows - 1, Math.floor((y * rows) / height));
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      if (skip[p]) continue;
      const cell = cy * columns + Math.min(columns - 1, Math.floor((x * columns) / width));
      for (let c = 0; c < 3; c++) {
        const a = base.data[p * 3 + c]!, b = target.data[p * 3 + c]!;
        const s = (cell * 3 + c) * 5;
        sums[s]! += 1; sums[s + 1]! += a; sums[s + 2]! += b; sums[s + 3]! += a * a; sums[s + 4]! += a * b;
      }
    }
  }
  const gain = new Float32Array(cells * 3).fill(1), offset = new Float32Array(cells * 3);
  for (let k = 0; k < cells * 3; k++) {
    const n = sums[k * 5]!;
    if (n < 16) continue;
    const mx = sums[k * 5 + 1]! / n, my = sums[k * 5 + 2]! / n;
    const sxx = sums[k * 5 + 3]! - n * mx * mx, sxy = sums[k * 5 + 4]! - n * mx * my;
    const prior = GAIN_PRIOR * n;
    gain[k] = (sxy + prior) / (sxx + prior);
    offset[k] = my - gain[k]! * mx;
  }
  const smooth = (values: Float32Array): Float32Array => {
    const out = new Float32Array(values.length);
    for (let r = 0; r < rows; r++) {
      for (let col = 0; col < columns; col++) {
        for (let c = 0; c < 3; c++) {
          let s = 0, w = 0;
          for (let dr = -1; dr <= 1; dr++) {
            for (let dc = -1; dc <= 1; dc++) {
              const rr = r + dr, cc = col + dc;
              if (rr < 0 || rr >= rows || cc < 0 || cc >= columns) continue;
              const weight = dr === 0 && dc === 0 ? 4 : dr === 0 || dc === 0 ? 2 : 1;
              s += values[(rr * columns + cc) * 3 + c]! * weight;
              w += weight;
            }
          }
          out[(r * columns + col) * 3 + c] = s / w;
        }
      }
    }
    return out;
  };
  return { columns, rows, gain: smooth(gain), offset: smooth(offset) };
}

/** The canvas applied to `frame` (the tone mapping's output): the grid, then the border; `amount` 0..1 of it. */
export function applyCanvas(canvas: Canvas, frame: RgbFrame, amount = 1): Uint8Array {
  const { width, height } = frame;
  const out = Uint8Array.from(frame.data);
  const { grid, border } = canvas;
  if (grid) {
    const { columns, rows } = grid;
    for (let y = 0; y < height; y++) {
      const fy = Math.min(rows - 1, Math.max(0, ((y + 0.5) * rows) / height - 0.5));
      const r0 = Math.floor(fy), r1 = Math.min(rows - 1, r0 + 1), wy = fy - r0;
      for (let x = 0; x < width; x++) {
        const fx = Math.min(columns - 1, Math.max(0, ((x + 0.5) * columns) / width - 0.5));
        const c0 = Math.floor(fx), c1 = Math.min(columns - 1, c0 + 1), wx = fx - c0;
        const w00 = (1 - wx) * (1 - wy), w01 = wx * (1 - wy), w10 = (1 - wx) * wy, w11 = wx * wy;
        const k00 = (r0 * columns + c0) * 3, k01 = (r0 * columns + c1) * 3, k10 = (r1 * columns + c0) * 3, k11 = (r1 * columns + c1) * 3;
        const p = (y * width + x) * 3;
        for (let c = 0; c < 3; c++) {
          const g = grid.gain[k00 + c]! * w00 + grid.gain[k01 + c]! * w01 + grid.gain[k10 + c]! * w10 + grid.gain[k11 + c]! * w11;
          const o = grid.offset[k00 + c]! * w00 + grid.offset[k01 + c]! * w01 + grid.offset[k10 + c]! * w10 + grid.offset[k11 + c]! * w11;
          const v = frame.data[p + c]!;
          out[p + c] = Math.max(0, Math.min(255, Math.round(v + amount * (g * v + o - v))));
        }
      }
    }
  }
  if (border) {
    const mask = borderMask(border, width, height);
    for (let i = 0; i < mask.length; i++) {
      if (!mask[i]) continue;
      for (let c = 0; c < 3; c++) out[i * 3 + c] = Math.round(out[i * 3 + c]! + amount * (border.colour[c]! - out[i * 3 + c]!));
    }
  }
  return out;
}

function lumaRms(a: Uint8Array, b: Uint8Array, skip: Uint8Array): number {
  let s = 0, n = 0;
  for (let i = 0; i < skip.length; i++) {
    if (skip[i]) continue;
    const d = 0.299 * (a[i * 3]! - b[i * 3]!) + 0.587 * (a[i * 3 + 1]! - b[i * 3 + 1]!) + 0.114 * (a[i * 3 + 2]! - b[i * 3 + 2]!);
    s += d * d;
    n++;
  }
  return Math.sqrt(s / Math.max(1, n));
}

/**
 * The canvas of the keyframe: `base` is the tone mapping's output on frame 0, `target`
 * the image, `invalid` marks pixels that came from outside the image (alignment).
 * The grid is kept only where it explains a real share of what the mapping missed.
 */
export function fitCanvas(base: RgbFrame, target: RgbFrame, invalid?: Uint8Array): { canvas: Canvas; rmsBefore: number; rmsAfter: number } {
  // Where the alignment filled the image's edge from outside, a plain strip is not the restyle's border.
  const border = invalid?.some((v) => v === 1) ? undefined : fitBorder(base, target);
  const skip = borderMask(border, target.width, target.height);
  if (invalid) for (let i = 0; i < skip.length; i++) skip[i] ||= invalid[i]!;
  const grid = fitGridCells(base, target, skip);
  const rmsBefore = lumaRms(base.data, target.data, skip);
  const rmsAfter = lumaRms(applyCanvas({ grid }, base), target.data, skip);
  const keep = rmsBefore - rmsAfter >= MIN_RMS_DROP && rmsAfter <= rmsBefore * (1 - MIN_GAIN_SHARE);
  return { canvas: { border, grid: keep ? grid : undefined }, rmsBefore, rmsAfter: keep ? rmsAfter : rmsBefore };
}

/** How far the canvas may move a pixel (luma levels) before the pixel is left out of a refit of the mapping. */
const CANVAS_SPAN = 12;

/**
 * 1 where the canvas changes `frame` (the mapping's output) by more than CANVAS_SPAN
 * levels of luma, or covers it with its border: pixels the mapping should not learn
 * from, as what they show is the canvas's doing, not a function of the picture.
 */
export function canvasMask(canvas: Canvas, frame: RgbFrame): Uint8Array {
  const after = applyCanvas(canvas, frame);
  const mask = new Uint8Array(frame.width * frame.height);
  for (let i = 0; i < mask.length; i++) {
    const d = 0.299 * (after[i * 3]! - frame.data[i * 3]!) + 0.587 * (after[i * 3 + 1]! - frame.data[i * 3 + 1]!) + 0.114 * (after[i * 3 + 2]! - frame.data[i * 3 + 2]!);
    mask[i] = Math.abs(d) > CANVAS_SPAN ? 1 : 0;
  }
  return mask;
}
