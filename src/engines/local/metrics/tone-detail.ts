/**
 * Detail kept per tone third: how much of a source frame's structure at the scale of
 * facial features survives in a styled frame, in the dark, middle and bright thirds of
 * the source. A look that crushes shadows to black or blanks a bright face to paper
 * scores near 0 there; a look that lays its own fine texture (hatching, dots,
 * scanlines, grain) over a form it keeps scores high.
 *
 * Method: both frames' luma is band-passed by a difference of Gaussians, σ 1 % and 3 %
 * of the frame height (eyes, mouths, nostrils, the folds of a hand at a medium shot).
 * The lower σ removes texture finer than about 3 % of the height. The source's local
 * tone (its luma blurred at the lower σ) splits the pixels into terciles. In each
 * third, the score is the regression slope of the styled band on the source band,
 * cov(s, t) / var(s), clamped to 0..1: the share of the source's structure the styled
 * frame reproduces. Texture the look adds is uncorrelated with the source's band and
 * leaves the slope alone (it only lowers the correlation, also reported); lost
 * structure lowers it. A third with almost no structure in the source (a flat sky) has
 * no score.
 *
 * A face box (a share of the frame) scores the face on its own, all its tones together:
 * a face blanked to paper or sunk into black scores near 0 there however well the rest
 * of the frame fares. `readability` turns the scores into the call a viewer makes:
 * readable when every third and the face keep at least READABLE of their structure.
 */
import type { RgbFrame } from '../guided/metrics.ts';
import { differenceOfGaussians, gaussianBlur, lumaPlane } from '../marks/gaussian.ts';

export const TONE_THIRDS = ['dark', 'middle', 'bright'] as const;
export type ToneThird = (typeof TONE_THIRDS)[number];

export interface ThirdDetail {
  /** Share of the source's feature-scale structure the styled frame keeps, 0..1; undefined when the source has none here. */
  kept: number | undefined;
  /** Correlation of the two band-passed lumas here (texture the look adds lowers it). */
  correlation: number | undefined;
  /** RMS of the source's band here (0..1 luma). */
  sourceContrast: number;
}

/** A box as shares (0..1) of the frame's width and height. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ToneDetailOptions {
  /** Lower σ of the band, as a share of the frame height (0.01). */
  fine?: number;
  /** Upper σ of the band, as a share of the frame height (0.03). */
  coarse?: number;
}

/** Least share of structure kept for a viewer to call a part of the frame readable. */
export const READABLE = 0.25;

/** Below this RMS of the source's band (0..1 luma) a third has nothing to keep. */
const MIN_SOURCE_CONTRAST = 0.003;

/** The band-passed luma and the local tone of a frame. */
function band(frame: RgbFrame, fine: number, coarse: number): { band: Float32Array; tone: Float32Array } {
  const { width, height } = frame;
  const passed = differenceOfGaussians(lumaPlane(frame.data, width, height), width, height, fine, coarse);
  return { band: passed.band, tone: passed.fine };
}

/** The tone cut-offs between the thirds: the 1/3 and 2/3 quantiles. */
function terciles(tone: Float32Array): [number, number] {
  const sorted = Float32Array.from(tone).sort();
  return [sorted[Math.floor(sorted.length / 3)]!, sorted[Math.floor((2 * sorted.length) / 3)]!];
}

/** Detail kept per tone third of `source` in `styled` (RGB, same size). */
export function toneDetail(source: RgbFrame, styled: RgbFrame, options: ToneDetailOptions = {}): Record<ToneThird, ThirdDetail> {
  if (source.width !== styled.width || source.height !== styled.height) throw new Error('frames differ in size');
  const fine = Math.max(0.5, (options.fine ?? 0.01) * source.height);
  const coarse = Math.max(fine * 1.5, (options.coarse ?? 0.03) * source.height);
  const s = band(source, fine, coarse);
  const t = band(styled, fine, coarse).band;
  const [low, high] = terciles(s.tone);
  const sums = TONE_THIRDS.map(() => ({ n: 0, ss: 0, tt: 0, st: 0, sm: 0, tm: 0 }));
  for (let i = 0; i < s.band.length; i++) {
    const tone = s.tone[i]!;
    const acc = sums[tone < low ? 0 : tone < high ? 1 : 2]!;
    const a = s.band[i]!, b = t[i]!;
    acc.n++; acc.sm += a; acc.tm += b; acc.ss += a * a; acc.tt += b * b; acc.st += a * b;
  }
  const result = {} as Record<ToneThird, ThirdDetail>;
  TONE_THIRDS.forEach((third, k) => { result[third] = detailOf(sums[k]!); });
  return result;
}

interface Sums { n: number; ss: number; tt: number; st: number; sm: number; tm: number }

/** The regression slope and correlation of the styled band on the source's. */
function detailOf({ n, ss, tt, st, sm, tm }: Sums): ThirdDetail {
  const ms = n ? sm / n : 0, mt = n ? tm / n : 0;
  const vs = n ? ss / n - ms * ms : 0, vt = n ? tt / n - mt * mt : 0, cov = n ? st / n - ms * mt : 0;
  const sourceContrast = Math.sqrt(Math.max(0, vs));
  const has = sourceContrast >= MIN_SOURCE_CONTRAST;
  return {
    kept: has ? Math.min(1, Math.max(0, cov / vs)) : undefined,
    correlation: has ? (vt > 0 ? cov / Math.sqrt(vs * vt) : 0) : undefined,
    sourceContrast,
  };
}

export interface Readability {
  thirds: Record<ToneThird, ThirdDetail>;
  /** The face box's score, when a box was given. */
  face: ThirdDetail | undefined;
  /** Every third and the face keep at least READABLE of their structure. */
  readable: boolean;
  /** What fails: the thirds by name, and `face`. */
  lost: (ToneThird | 'face')[];
}

/** Whether `styled` keeps `source` readable in every tone third and, given a box, in the face. */
export function readability(source: RgbFrame, styled: RgbFrame, options: ToneDetailOptions & { face?: Box } = {}): Readability {
  const thirds = toneDetail(source, styled, options);
  const face = options.face ? boxDetail(source, styled, options.face, options) : undefined;
  const lost: (ToneThird | 'face')[] = TONE_THIRDS.filter((t) => (thirds[t].kept ?? 1) < READABLE);
  if (face && (face.kept ?? 1) < READABLE) lost.push('face');
  return { thirds, face, readable: lost.length === 0, lost };
}

/** The sums of two planes (`width` × `height`) over the pixels inside `box`. */
function boxSums(s: Float32Array, t: Float32Array, width: number, height: number, box: Box): Sums {
  const sums: Sums = { n: 0, ss: 0, tt: 0, st: 0, sm: 0, tm: 0 };
  const x0 = Math.max(0, Math.floor(box.x * width)), x1 = Math.min(width, Math.ceil((box.x + box.width) * width));
  const y0 = Math.max(0, Math.floor(box.y * height)), y1 = Math.min(height, Math.ceil((box.y + box.height) * height));
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const a = s[y * width + x]!, b = t[y * width + x]!;
      sums.n++; sums.sm += a; sums.tm += b; sums.ss += a * a; sums.tt += b * b; sums.st += a * b;
    }
  }
  return sums;
}

/** Detail kept inside `box`, all tones together. */
export function boxDetail(source: RgbFrame, styled: RgbFrame, box: Box, options: ToneDetailOptions = {}): ThirdDetail {
  const fine = Math.max(0.5, (options.fine ?? 0.01) * source.height);
  const coarse = Math.max(fine * 1.5, (options.coarse ?? 0.03) * source.height);
  const s = band(source, fine, coarse).band;
  const t = band(styled, fine, coarse).band;
  return detailOf(boxSums(s, t, source.width, source.height, box));
}

/**
 * The edges of a frame at the scale of a face's features: the gradient magnitude of its
 * luma smoothed at σ `fine`, spread by a Gaussian of σ `spread` (pixels). Where a look
 * draws an edge, with a line, a glow or a change of ink, the density rises whatever the
 * edge's polarity; a feature blanked out or merged into its surroundings leaves it flat.
 */
function edgeDensity(frame: RgbFrame, fine: number, spread: number): Float32Array {
  const { width, height } = frame;
  const y = gaussianBlur(lumaPlane(frame.data, width, height), width, height, fine);
  const g = new Float32Array(y.length);
  for (let r = 1; r < height - 1; r++) {
    for (let c = 1; c < width - 1; c++) {
      const i = r * width + c;
      g[i] = Math.hypot(y[i + 1]! - y[i - 1]!, y[i + width]! - y[i - width]!);
    }
  }
  return gaussianBlur(g, width, height, spread);
}

export interface StructureOptions {
  /** σ of the smoothing before the gradient, as a share of the frame height (0.004). */
  fine?: number;
  /** σ of the spread of the edges, as a share of the frame height (0.008). */
  spread?: number;
}

/**
 * Structure kept inside `box`: the regression slope, clamped to 0..1, of the styled
 * frame's edge density on the source's. Unlike `boxDetail` it does not ask an edge to
 * keep its sign, so a look that draws a dark feature as a bright line (neon) keeps it,
 * and a look that prints a face and its hair in one ink (a solid fill of dots) loses it.
 * On the blind panels it orders the tiles whose faces viewers called lost below the ones
 * they called readable more often than `boxDetail` does (docs/tones.md).
 */
export function boxStructure(source: RgbFrame, styled: RgbFrame, box: Box, options: StructureOptions = {}): ThirdDetail {
  if (source.width !== styled.width || source.height !== styled.height) throw new Error('frames differ in size');
  const fine = Math.max(0.5, (options.fine ?? 0.004) * source.height);
  const spread = Math.max(0.5, (options.spread ?? 0.008) * source.height);
  const s = edgeDensity(source, fine, spread), t = edgeDensity(styled, fine, spread);
  return detailOf(boxSums(s, t, source.width, source.height, box));
}

/** Above this share of the frame turned solid black (crushedShare) a viewer is likely to call the darks crushed. */
export const CRUSHED = 0.01;

/** Below this local luma (0..1) an area is black. */
const SOLID_BLACK = 0.06;
/** Below this local deviation of luma (0..1) a black area is solid: no dots, strokes or grain show in it. */
const SOLID_FLAT = 0.08;

/** Where a frame is solid black (1): local luma and its local deviation, at σ `sigma` pixels, both low. */
export function solidBlack(frame: RgbFrame, sigma: number): Uint8Array {
  const { width, height } = frame;
  const y = lumaPlane(frame.data, width, height);
  const mean = gaussianBlur(y, width, height, sigma);
  const sq = new Float32Array(y.length);
  for (let i = 0; i < y.length; i++) sq[i] = (y[i]! - mean[i]!) ** 2;
  const variance = gaussianBlur(sq, width, height, sigma);
  const out = new Uint8Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = mean[i]! < SOLID_BLACK && variance[i]! < SOLID_FLAT * SOLID_FLAT ? 1 : 0;
  return out;
}

/**
 * The share of the frame a look crushed: solid black in `styled` (dark and flat at σ 1 %
 * of the height) where `source` was not. Dark areas a look prints as dots, hatching or
 * grain are not solid, and blacks the source already had do not count. On the blind
 * panels, tiles whose darks a viewer called crushed score higher than the ones every
 * viewer called kept (docs/tones.md); the per-third `kept` scores do not tell them apart.
 */
export function crushedShare(source: RgbFrame, styled: RgbFrame): number {
  if (source.width !== styled.width || source.height !== styled.height) throw new Error('frames differ in size');
  const sigma = Math.max(0.5, 0.01 * source.height);
  const before = solidBlack(source, sigma), after = solidBlack(styled, sigma);
  let n = 0;
  for (let i = 0; i < before.length; i++) n += after[i]! && !before[i]! ? 1 : 0;
  return n / before.length;
}
