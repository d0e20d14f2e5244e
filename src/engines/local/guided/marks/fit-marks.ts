/**
 * Marks tied to the picture (strokes, dots, grain, brush texture): what the keyframe
 * has in fine detail beyond the tone mapping and the canvas. They are carried as a
 * texture and a rule for its strength:
 *   - the texture is the keyframe's fine residual (luma minus the mapping's, minus its
 *     5×5 mean), each block brought to unit strength; blocks where the keyframe had
 *     too little of it take a block that had enough (the same one on every frame), so
 *     the texture covers the frame;
 *   - its strength in each block of a later frame is what the keyframe needed in blocks
 *     of the same kind in the source (luma level × amount of source detail): the
 *     density and contrast of the marks follow the picture the way they did on frame 0.
 * The texture stands in place and its strength changes only as the source does, so the
 * marks do not boil. Its overall scale is chosen by the texture figure on the keyframe.
 */
import type { RgbFrame } from '../metrics.ts';
import { boxBlur } from '../features.ts';
import { blockFor, blockMeans, detailPlane, lumaPlane, textureError, type BlockMap } from './texture-error.ts';

export interface PictureMarks {
  block: number;
  /** Cuts between the source's luma levels and between its detail levels. */
  lumaCuts: number[];
  detailCuts: number[];
  /** Mark strength (mean |detail| in luma levels) per luma level × detail level. */
  strength: Float32Array;
  /** The unit texture at the working size, ×TEXTURE_SCALE, rounded to int8. */
  texture: Int8Array;
}

export const TEXTURE_SCALE = 32;
const LUMA_LEVELS = 5;
const DETAIL_LEVELS = 3;
/** Scales of the strength tried on the keyframe. */
const SCALES = [0.6, 0.8, 1, 1.2, 1.45];

function quantiles(values: Float32Array, count: number): number[] {
  const sorted = Float32Array.from(values).sort();
  return Array.from({ length: count - 1 }, (_, i) => sorted[Math.floor(((i + 1) * sorted.length) / count)] ?? 0);
}

const level = (cuts: readonly number[], v: number): number => {
  let l = 0;
  while (l < cuts.length && v >= cuts[l]!) l++;
  return l;
};

/** The source's luma and detail per block: what decides the marks' strength. */
function sourceBlocks(source: RgbFrame, block: number): { luma: BlockMap; detail: BlockMap } {
  const y = lumaPlane(source);
  return {
    luma: blockMeans(y, source.width, source.height, block),
    detail: blockMeans(detailPlane(y, source.width, source.height), source.width, source.height, block),
  };
}

/** The keyframe's fine residual as a unit texture covering the frame. */
function unitTexture(target: RgbFrame, base: RgbFrame, block: number): Float32Array {
  const { width, height } = target;
  const yt = lumaPlane(target), yb = lumaPlane(base);
  const d = new Float32Array(yt.length);
  for (let i = 0; i < d.length; i++) d[i] = yt[i]! - yb[i]!;
  const mean = boxBlur(d, width, height, 2);
  const fine = new Float32Array(d.length);
  const size = new Float32Array(d.length);
  for (let i = 0; i < d.length; i++) {
    fine[i] = d[i]! - mean[i]!;
    size[i] = Math.abs(fine[i]!);
  }
  const strength = blockMeans(size, width, height, block);
  const sorted = Float32Array.from(strength.values).sort();
  const enough = Math.max(0.5, sorted[Math.floor(sorted.length / 2)] ?? 0);
  const donors: number[] = [];
  strength.values.forEach((v, b) => v >= enough && donors.push(b));
  const texture = new Float32Array(d.length);
  if (donors.length === 0) return texture;
  for (let by = 0; by < strength.rows; by++) {
    for (let bx = 0; bx < strength.columns; bx++) {
      const b = by * strength.columns + bx;
      // A fixed choice per block: the same donor on every frame.
      const donor = strength.values[b]! >= enough ? b : donors[(((bx * 73856093) ^ (by * 19349663)) >>> 0) % donors.length]!;
      const dx = (donor % strength.columns) * block, dy = Math.floor(donor / strength.columns) * block;
      const scale = 1 / Math.max(1e-3, strength.values[donor]!);
      for (let y = by * block; y < Math.min(height, (by + 1) * block); y++) {
        const sy = Math.min(height - 1, dy + (y - by * block));
        for (let x = bx * block; x < Math.min(width, (bx + 1) * block); x++) {
          const sx = Math.min(width - 1, dx + (x - bx * block));
          texture[y * width + x] = fine[sy * width + sx]! * scale;
        }
      }
    }
  }
  return texture;
}

/** Strength of the marks per block of `source`, by the rule learned on the keyframe. */
function blockStrength(marks: PictureMarks, source: RgbFrame): BlockMap {
  const { luma, detail } = sourceBlocks(source, marks.block);
  const values = new Float32Array(luma.values.length);
  for (let b = 0; b < values.length; b++) {
    values[b] = marks.strength[level(marks.lumaCuts, luma.values[b]!) * DETAIL_LEVELS + level(marks.detailCuts, detail.values[b]!)]!;
  }
  return { ...luma, values };
}

/** The marks added to `frame` (the mapping and canvas output for `source`); `amount` scales them. */
export function applyPictureMarks(marks: PictureMarks, source: RgbFrame, frame: Uint8Array, amount = 1): Uint8Array {
  const { width, height } = source;
  const strength = blockStrength(marks, source);
  const { columns, rows, block, values } = strength;
  const out = new Uint8Array(frame.length);
  const unit = amount / TEXTURE_SCALE;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(rows - 1, Math.max(0, (y + 0.5) / block - 0.5));
    const r0 = Math.floor(fy), r1 = Math.min(rows - 1, r0 + 1), wy = fy - r0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(columns - 1, Math.max(0, (x + 0.5) / block - 0.5));
      const c0 = Math.floor(fx), c1 = Math.min(columns - 1, c0 + 1), wx = fx - c0;
      const s = (values[r0 * columns + c0]! * (1 - wx) + values[r0 * columns + c1]! * wx) * (1 - wy) +
        (values[r1 * columns + c0]! * (1 - wx) + values[r1 * columns + c1]! * wx) * wy;
      const p = y * width + x;
      const add = s * marks.texture[p]! * unit;
      for (let c = 0; c < 3; c++) out[p * 3 + c] = Math.max(0, Math.min(255, Math.round(frame[p * 3 + c]! + add)));
    }
  }
  return out;
}

export interface PictureMarksFit {
  marks: PictureMarks | undefined;
  /** TE of the keyframe without and with the marks. */
  teBefore: number;
  teAfter: number;
}

/**
 * Picture marks of the keyframe pair, when the mapping and canvas (`base`) are far from
 * the image's texture: TE of at least `gate` on the keyframe itself. Below it the
 * mapping already carries the texture, and marks would only add noise.
 */
export function fitPictureMarks(source: RgbFrame, base: RgbFrame, target: RgbFrame, gate: number): PictureMarksFit {
  const teBefore = textureError(base, target);
  if (teBefore < gate) return { marks: undefined, teBefore, teAfter: teBefore };
  const block = blockFor(source.width);
  const { luma, detail } = sourceBlocks(source, block);
  const lumaCuts = quantiles(luma.values, LUMA_LEVELS), detailCuts = quantiles(detail.values, DETAIL_LEVELS);
  const { width, height } = target;
  const wanted = blockMeans(detailPlane(lumaPlane(target), width, height), width, height, block).values;
  const has = blockMeans(detailPlane(lumaPlane(base), width, height), width, height, block).values;
  const sums = new Float64Array(LUMA_LEVELS * DETAIL_LEVELS * 3);
  for (let b = 0; b < wanted.length; b++) {
    const k = level(lumaCuts, luma.values[b]!) * DETAIL_LEVELS + level(detailCuts, detail.values[b]!);
    sums[k * 3]! += 1;
    sums[k * 3 + 1]! += wanted[b]! ** 2;
    sums[k * 3 + 2]! += has[b]! ** 2;
  }
  const strength = new Float32Array(LUMA_LEVELS * DETAIL_LEVELS);
  for (let k = 0; k < strength.length; k++) {
    const n = Math.max(1, sums[k * 3]!);
    strength[k] = Math.sqrt(Math.max(0, (sums[k * 3 + 1]! - sums[k * 3 + 2]!) / n));
  }
  const unit = unitTexture(target, base, block);
  // The unit texture's own detail, so a strength of s gives about s of the figure's detail.
  const own = blockMeans(detailPlane(unit, width, height), width, height, block).values;
  const ownMean = own.reduce((s, v) => s + v, 0) / Math.max(1, own.length);
  const texture = new Int8Array(unit.length);
  for (let i = 0; i < unit.length; i++) texture[i] = Math.max(-127, Math.min(127, Math.round((unit[i]! / Math.max(0.05, ownMean)) * TEXTURE_SCALE)));
  let best: PictureMarksFit = { marks: undefined, teBefore, teAfter: teBefore };
  for (const scale of SCALES) {
    const marks: PictureMarks = { block, lumaCuts, detailCuts, strength: strength.map((s) => s * scale), texture };
    const te = textureError({ ...base, data: applyPictureMarks(marks, source, base.data) }, target);
    if (te < best.teAfter) best = { marks, teBefore, teAfter: te };
  }
  return best;
}
