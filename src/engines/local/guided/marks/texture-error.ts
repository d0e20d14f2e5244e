/**
 * The texture figure of guided mode's marks: luma minus its 5×5 box mean,
 * its absolute value averaged over square blocks, and the block maps of two frames
 * compared: TE = mean |E_a − E_b| / mean E_b. 0 means the same marks in the same
 * places with the same strength, about 1 none of them. The figure is defined on frames
 * 480 px wide with 16 px blocks; at another width the block scales with it.
 */
import { boxBlur } from '../features.ts';
import type { RgbFrame } from '../metrics.ts';

/** Rec. 601 luma of every pixel, 0..255. */
export function lumaPlane(frame: RgbFrame): Float32Array {
  const out = new Float32Array(frame.width * frame.height);
  const d = frame.data;
  for (let i = 0; i < out.length; i++) out[i] = 0.299 * d[i * 3]! + 0.587 * d[i * 3 + 1]! + 0.114 * d[i * 3 + 2]!;
  return out;
}

/** |plane − its 5×5 box mean| at every pixel: where the marks are, and how strong. */
export function detailPlane(plane: Float32Array, width: number, height: number): Float32Array {
  const mean = boxBlur(plane, width, height, 2);
  const out = new Float32Array(plane.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.abs(plane[i]! - mean[i]!);
  return out;
}

/** The block of the figure at `width`: 16 px at 480 px. */
export const blockFor = (width: number): number => Math.max(4, Math.round((16 * width) / 480));

export interface BlockMap {
  columns: number;
  rows: number;
  block: number;
  values: Float32Array;
}

/** Mean of `plane` over `block`-sized squares (the last row and column take what is left). */
export function blockMeans(plane: Float32Array, width: number, height: number, block: number): BlockMap {
  const columns = Math.ceil(width / block), rows = Math.ceil(height / block);
  const sums = new Float64Array(columns * rows), counts = new Float64Array(columns * rows);
  for (let y = 0; y < height; y++) {
    const by = Math.floor(y / block) * columns;
    for (let x = 0; x < width; x++) {
      const b = by + Math.floor(x / block);
      sums[b]! += plane[y * width + x]!;
      counts[b]! += 1;
    }
  }
  const values = new Float32Array(columns * rows);
  for (let b = 0; b < values.length; b++) values[b] = sums[b]! / Math.max(1, counts[b]!);
  return { columns, rows, block, values };
}

/** The block map of marks of `frame`. */
export function textureMap(frame: RgbFrame, block = blockFor(frame.width)): BlockMap {
  return blockMeans(detailPlane(lumaPlane(frame), frame.width, frame.height), frame.width, frame.height, block);
}

/** TE of `output` against `truth`, two frames of the same size. */
export function textureError(output: RgbFrame, truth: RgbFrame): number {
  const a = textureMap(output).values, b = textureMap(truth).values;
  let diff = 0, total = 0;
  for (let i = 0; i < a.length; i++) {
    diff += Math.abs(a[i]! - b[i]!);
    total += b[i]!;
  }
  return diff / Math.max(1e-6, total);
}
