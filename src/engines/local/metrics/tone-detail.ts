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
 */
import type { RgbFrame } from '../guided/metrics.ts';
import { gaussianBlur, lumaPlane } from '../marks/gaussian.ts';

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

export interface ToneDetailOptions {
  /** Lower σ of the band, as a share of the frame height (0.01). */
  fine?: number;
  /** Upper σ of the band, as a share of the frame height (0.03). */
  coarse?: number;
}

/** Below this RMS of the source's band (0..1 luma) a third has nothing to keep. */
const MIN_SOURCE_CONTRAST = 0.003;

/** The band-passed luma and the local tone of a frame. */
function band(frame: RgbFrame, fine: number, coarse: number): { band: Float32Array; tone: Float32Array } {
  const { width, height } = frame;
  const y = lumaPlane(frame.data, width, height);
  const tone = gaussianBlur(y, width, height, fine);
  const wide = gaussianBlur(y, width, height, coarse);
  const out = new Float32Array(y.length);
  for (let i = 0; i < out.length; i++) out[i] = tone[i]! - wide[i]!;
  return { band: out, tone };
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
  TONE_THIRDS.forEach((third, k) => {
    const { n, ss, tt, st, sm, tm } = sums[k]!;
    const ms = n ? sm / n : 0, mt = n ? tm / n : 0;
    const vs = n ? ss / n - ms * ms : 0, vt = n ? tt / n - mt * mt : 0, cov = n ? st / n - ms * mt : 0;
    const sourceContrast = Math.sqrt(Math.max(0, vs));
    const has = sourceContrast >= MIN_SOURCE_CONTRAST;
    result[third] = {
      kept: has ? Math.min(1, Math.max(0, cov / vs)) : undefined,
      correlation: has ? (vt > 0 ? cov / Math.sqrt(vs * vt) : 0) : undefined,
      sourceContrast,
    };
  });
  return result;
}
