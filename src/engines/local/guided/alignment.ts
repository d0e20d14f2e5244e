/**
 * Where does the image sit on frame 0? A restyle keeps the places where things change
 * (edges, outlines) even when it changes every colour, so both frames are reduced to
 * the gradient magnitude of their blurred luma at a small size and compared by
 * normalised cross-correlation over a small search of global scales and shifts (an
 * image model or an editor often crops, zooms or nudges the frame a little). The
 * transform found is undone before learning; whether the image is a restyle at all is
 * decided afterwards by how well the learned mapping predicts it (learn.ts).
 */
import { boxBlur } from './features.ts';
import type { RgbFrame } from './metrics.ts';

/** Width the search runs at. */
const SEARCH_WIDTH = 128;
/** Largest shift tried, in pixels at SEARCH_WIDTH (about 8 % of the width). */
const MAX_SHIFT = 10;
const SCALES = [1, 0.95, 1.05, 0.9, 1.1];
/** A transform other than identity must beat identity by this much to be used. */
const PREFERENCE = 0.03;

export interface Alignment {
  /** Normalised cross-correlation of the edge maps at the transform found, -1..1. */
  edgeScore: number;
  /** Edge correlation without any transform. */
  identityScore: number;
  /**
   * The median over a grid of blocks of the edge correlation within each block, at the
   * transform found: high only when edges coincide all over the frame, not merely where
   * any two pictures tend to have them (borders, a horizon, a centred subject).
   */
  blockScore: number;
  /** The same without any transform. */
  identityBlockScore: number;
  /**
   * The median over blocks inside the frame (a tenth of each side left out, where a
   * restyle's border and vignette sit) of the correlation of the coarse structure (luma
   * blurred past fine marks, less its wider blur: light and dark regions a few percent
   * of the frame across) at the transform found. A restyle made of marks (dither,
   * hatching, grain, an aged print) keeps the picture's light and dark at this scale
   * while its fine texture has nothing to do with frame 0's; see coarseStructure().
   */
  structureScore: number;
  /** The same without any transform. */
  identityStructureScore: number;
  /**
   * The broad structure (luma blurred further, less a wider blur: regions about a tenth
   * of the frame across) correlated over four blocks across the frame's inside, each
   * block weighted by how much broad structure frame 0 has there, without any transform.
   * A restyle whose marks hide most of the picture (random strokes lightened over it)
   * keeps only its larger light and dark regions, often a few of them on a flat ground:
   * the blocks of ground say nothing, the blocks of subject decide. It is not measured
   * at a transform: shifted, one bright subject agrees with another at this scale (a
   * 2× crop of a restyle of rabbit.mp4 scored 0.5). See broadStructure().
   */
  broadStructureScore: number;
  /** Image sample position = centre + scale × (pixel − centre) + shift (shift as a fraction of width and height). */
  scale: number;
  shiftX: number;
  shiftY: number;
}

/** Area-average `frame` down to `width` × `height` luma (0..1). */
function smallLuma(frame: RgbFrame, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  const count = new Float32Array(width * height);
  const { data } = frame;
  for (let y = 0; y < frame.height; y++) {
    const sy = Math.min(height - 1, Math.floor((y * height) / frame.height));
    for (let x = 0; x < frame.width; x++) {
      const sx = Math.min(width - 1, Math.floor((x * width) / frame.width));
      const p = (y * frame.width + x) * 3;
      out[sy * width + sx]! += (0.299 * data[p]! + 0.587 * data[p + 1]! + 0.114 * data[p + 2]!) / 255;
      count[sy * width + sx]! += 1;
    }
  }
  for (let i = 0; i < out.length; i++) out[i]! /= Math.max(1, count[i]!);
  return out;
}

function edgeMap(luma: Float32Array, width: number, height: number): Float32Array {
  const blurred = boxBlur(luma, width, height, 1);
  const out = new Float32Array(width * height);
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      out[i] = Math.hypot(blurred[i + 1]! - blurred[i - 1]!, blurred[i + width]! - blurred[i - width]!);
    }
  }
  return out;
}

/**
 * The coarse structure of small luma: its 3×3 mean less its 9×9 mean (at SEARCH_WIDTH,
 * about 2 % and 7 % of the width). Dots, hatching and grain a few pixels across at the
 * working size average out in the small luma already; a vignette or a tint changes it
 * by a gain within a block, which the block correlation ignores.
 */
function coarseStructure(luma: Float32Array, width: number, height: number, nearRadius = 1, wideRadius = 4): Float32Array {
  const near = boxBlur(luma, width, height, nearRadius), wide = boxBlur(luma, width, height, wideRadius);
  const out = new Float32Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = near[i]! - wide[i]!;
  return out;
}

// The per-pixel helpers here index directly rather than through a small closure: a
// closure made for every pixel is cheap compiled, but slow under tsx (which names it).
function bilinear(plane: Float32Array, width: number, height: number, x: number, y: number): number {
  const x0 = Math.floor(x), y0 = Math.floor(y);
  const dx = x - x0, dy = y - y0;
  const i = y0 * width + x0;
  return (plane[i]! * (1 - dx) + plane[i + 1]! * dx) * (1 - dy) + (plane[i + width]! * (1 - dx) + plane[i + width + 1]! * dx) * dy;
}

interface Window {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

function correlation(a: Float32Array, b: Float32Array, width: number, height: number, scale: number, sx: number, sy: number, window?: Window): number {
  const cx = width / 2, cy = height / 2;
  let n = 0, sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  const { x0, x1, y0, y1 } = window ?? { x0: 2, x1: width - 2, y0: 2, y1: height - 2 };
  for (let y = y0; y < y1; y++) {
    const by = cy + scale * (y - cy) + sy;
    if (by < 1 || by > height - 2) continue;
    for (let x = x0; x < x1; x++) {
      const bx = cx + scale * (x - cx) + sx;
      if (bx < 1 || bx > width - 2) continue;
      const va = a[y * width + x]!;
      const vb = bilinear(b, width, height, bx, by);
      n++; sa += va; sb += vb; saa += va * va; sbb += vb * vb; sab += va * vb;
    }
  }
  // Less than half the frame (or window) overlapping says nothing about alignment.
  if (n < ((x1 - x0) * (y1 - y0)) / 2) return -1;
  const cov = sab / n - (sa / n) * (sb / n);
  const va = saa / n - (sa / n) ** 2;
  const vb = sbb / n - (sb / n) ** 2;
  return va > 1e-12 && vb > 1e-12 ? cov / Math.sqrt(va * vb) : 0;
}

/** Align `image` (already cover-fitted to the size of `frame`) with `frame`. */
export function alignImage(frame: RgbFrame, image: RgbFrame): Alignment {
  const width = Math.min(SEARCH_WIDTH, frame.width);
  const height = Math.max(8, Math.round((width * frame.height) / frame.width));
  const lumaA = smallLuma(frame, width, height), lumaB = smallLuma(image, width, height);
  const a = edgeMap(lumaA, width, height);
  const b = edgeMap(lumaB, width, height);

  const identityScore = correlation(a, b, width, height, 1, 0, 0);
  let best = { score: identityScore, scale: 1, sx: 0, sy: 0 };
  for (const scale of SCALES) {
    // Coarse steps of 2 px, then the neighbours of the best coarse shift.
    let local = { score: -2, sx: 0, sy: 0 };
    for (let sy = -MAX_SHIFT; sy <= MAX_SHIFT; sy += 2) {
      for (let sx = -MAX_SHIFT; sx <= MAX_SHIFT; sx += 2) {
        const score = correlation(a, b, width, height, scale, sx, sy);
        if (score > local.score) local = { score, sx, sy };
      }
    }
    const coarse = local;
    for (let sy = coarse.sy - 1; sy <= coarse.sy + 1; sy++) {
      for (let sx = coarse.sx - 1; sx <= coarse.sx + 1; sx++) {
        const score = correlation(a, b, width, height, scale, sx, sy);
        if (score > local.score) local = { score, sx, sy };
      }
    }
    const isIdentity = scale === 1 && local.sx === 0 && local.sy === 0;
    if (local.score > best.score + (isIdentity ? 0 : PREFERENCE)) best = { score: local.score, scale, sx: local.sx, sy: local.sy };
  }
  const sa = coarseStructure(lumaA, width, height), sb = coarseStructure(lumaB, width, height);
  const ba = broadStructure(lumaA, width, height), bb = broadStructure(lumaB, width, height);
  return {
    edgeScore: best.score, identityScore,
    blockScore: blockScore(a, b, width, height, best.scale, best.sx, best.sy), identityBlockScore: blockScore(a, b, width, height, 1, 0, 0),
    structureScore: blockScore(sa, sb, width, height, best.scale, best.sx, best.sy, STRUCTURE_BLOCKS),
    identityStructureScore: blockScore(sa, sb, width, height, 1, 0, 0, STRUCTURE_BLOCKS),
    broadStructureScore: weightedBlockScore(ba, bb, width, height, 1, 0, 0, BROAD_BLOCKS),
    scale: best.scale, shiftX: best.sx / width, shiftY: best.sy / height,
  };
}

/** The grid of blockScore(): blocks across, and the share of each side left out. */
interface BlockGrid {
  across: number;
  margin: number;
}
/** Edge correlation by block: four blocks across the whole frame. */
const EDGE_BLOCKS: BlockGrid = { across: 4, margin: 0 };
/**
 * Coarse structure by block: six across the frame's inside. On the evaluation pictures
 * that are not restyles (another photo, other clips' frames, mirrored and 2× cropped
 * restyles of the three fixture clips) it stays at 0.21 or less; on restyles made of
 * marks (dither, hatching, aged prints with a border and a vignette) it is 0.6–1.0.
 */
const STRUCTURE_BLOCKS: BlockGrid = { across: 6, margin: 0.1 };

/** The blocks of `grid` over a plane of `width` × `height`. */
function blockWindows(width: number, height: number, grid: BlockGrid): Window[] {
  const mx = Math.max(2, Math.round(width * grid.margin)), my = Math.max(2, Math.round(height * grid.margin));
  const size = Math.max(8, Math.floor((width - 2 * mx) / grid.across));
  const windows: Window[] = [];
  for (let y0 = my; y0 + size / 2 <= height - my; y0 += size) {
    for (let x0 = mx; x0 + size / 2 <= width - mx; x0 += size) windows.push({ x0, x1: Math.min(width - mx, x0 + size), y0, y1: Math.min(height - my, y0 + size) });
  }
  return windows;
}

/** Median of the correlation of `a` and `b` over a grid of blocks (blocks without variation left out). */
export function blockScore(a: Float32Array, b: Float32Array, width: number, height: number, scale: number, sx: number, sy: number, grid: BlockGrid = EDGE_BLOCKS): number {
  const scores: number[] = [];
  for (const window of blockWindows(width, height, grid)) {
    const score = correlation(a, b, width, height, scale, sx, sy, window);
    if (score !== -1) scores.push(score);
  }
  scores.sort((p, q) => p - q);
  return scores.length > 0 ? scores[Math.floor(scores.length / 2)]! : 0;
}

/**
 * The broad structure of small luma: its 5×5 mean less its 17×17 mean (about 4 % and
 * 13 % of the width at SEARCH_WIDTH). Random strokes 10 px long at the working size
 * leave their density's fluctuations in coarseStructure(); at this scale they average
 * out while a subject's light and dark stay.
 */
const broadStructure = (luma: Float32Array, width: number, height: number): Float32Array => coarseStructure(luma, width, height, 2, 8);

/**
 * Broad structure by block: four across the frame's inside. On the evaluation pictures
 * that are not restyles (another photo, other clips' frames, mirrored and 2× cropped
 * restyles of the three fixture clips, without transform) the weighted score stays at
 * 0.25 or less; ImageMagick's random-stroke hatching scores 0.42–0.77, other restyles
 * made of marks 0.89–1.0.
 */
const BROAD_BLOCKS: BlockGrid = { across: 4, margin: 0.1 };

/**
 * Mean of the correlation of `a` and `b` over a grid of blocks, each weighted by the
 * variance of `a` (frame 0) in it: blocks where frame 0 is flat count for little.
 */
export function weightedBlockScore(a: Float32Array, b: Float32Array, width: number, height: number, scale: number, sx: number, sy: number, grid: BlockGrid): number {
  let sum = 0, weights = 0;
  for (const window of blockWindows(width, height, grid)) {
    const score = correlation(a, b, width, height, scale, sx, sy, window);
    if (score === -1) continue;
    const weight = windowVariance(a, width, window);
    sum += score * weight;
    weights += weight;
  }
  return weights > 1e-12 ? sum / weights : 0;
}

function windowVariance(plane: Float32Array, width: number, { x0, x1, y0, y1 }: Window): number {
  let n = 0, s = 0, ss = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const v = plane[y * width + x]!;
      n++; s += v; ss += v * v;
    }
  }
  return n > 0 ? Math.max(0, ss / n - (s / n) ** 2) : 0;
}

/**
 * `image` resampled so it lines up with frame 0 under `alignment`, and a mask of the
 * pixels that came from inside the image (the rest must not be learned from).
 */
export function undoTransform(image: RgbFrame, alignment: Alignment): { frame: RgbFrame; valid: Uint8Array } {
  const { width, height, data } = image;
  const out = new Uint8Array(data.length);
  const valid = new Uint8Array(width * height);
  const cx = width / 2, cy = height / 2;
  for (let y = 0; y < height; y++) {
    const by = cy + alignment.scale * (y - cy) + alignment.shiftY * height;
    for (let x = 0; x < width; x++) {
      const bx = cx + alignment.scale * (x - cx) + alignment.shiftX * width;
      if (bx < 0 || by < 0 || bx > width - 1.001 || by > height - 1.001) continue;
      const x0 = Math.floor(bx), y0 = Math.floor(by);
      const dx = bx - x0, dy = by - y0;
      const i = y * width + x;
      valid[i] = 1;
      for (let c = 0; c < 3; c++) {
        const q = (y0 * width + x0) * 3 + c, below = q + width * 3;
        const v = (data[q]! * (1 - dx) + data[q + 3]! * dx) * (1 - dy) + (data[below]! * (1 - dx) + data[below + 3]! * dx) * dy;
        out[i * 3 + c] = Math.round(v);
      }
    }
  }
  return { frame: { width, height, data: out }, valid };
}
