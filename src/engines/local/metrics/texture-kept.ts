/**
 * Photographic texture carried: how much of a source frame's small, dense texture (fur,
 * grass, gravel, a knit) a styled frame reproduces, where a painter would lay marks of
 * their own. The complement of tone-detail.ts, which asks that the structure at the scale
 * of features survive: a painting keeps a face's eyes and loses the fur's hairs.
 *
 * Method: both frames' luma is band-passed at the scale of texture (a difference of
 * Gaussians, σ 0.7 and 2 pixels at 540 rows). Texture pixels are where the source's band
 * is strong (its energy, averaged over σ 4, in the frame's top 40 %) but where that energy
 * is not an edge's: the gradient of the source blurred at σ 4 is small against it (an
 * edge's gradient survives the blur; texture's hairs, which step up and down, cancel).
 * The score is the regression slope of the styled band on the source's over those
 * pixels, cov / var: 1 when the texture is copied, 0 when it is gone. Marks the look adds
 * are not correlated with the source's texture and leave the slope alone.
 */
import type { RgbFrame } from '../guided/metrics.ts';
import { differenceOfGaussians, gaussianBlur, lumaPlane } from '../marks/gaussian.ts';

/** Share of the frame, by texture energy, that can count as texture. */
const TEXTURE_SHARE = 0.4;
/** Blurred gradient over the band's RMS above which a pixel is an edge's, not texture's. */
const EDGE_RATIO = 0.35;

export interface TextureKept {
  /** Slope of the styled frame's texture band on the source's over the texture pixels; undefined when there are none. */
  kept: number | undefined;
  /** Share of the frame's pixels taken as texture. */
  share: number;
}

function band(luma: Float32Array, width: number, height: number, unit: number): Float32Array {
  return differenceOfGaussians(luma, width, height, 0.7 * unit, 2 * unit).band;
}

/** The photographic texture of `source` that `styled` (RGB, same size) carries. */
export function textureKept(source: RgbFrame, styled: RgbFrame): TextureKept {
  const { width: w, height: h } = source;
  if (styled.width !== w || styled.height !== h) throw new Error('frames differ in size');
  const unit = Math.min(w, h) / 540;
  const luma = lumaPlane(source.data, w, h);
  const s = band(luma, w, h, unit), t = band(lumaPlane(styled.data, w, h), w, h, unit);
  const energy = gaussianBlur(s.map((v) => v * v), w, h, 4 * unit);
  const blurred = gaussianBlur(luma, w, h, 4 * unit);
  const cut = Float32Array.from(energy).sort()[Math.floor(energy.length * (1 - TEXTURE_SHARE))]!;
  let n = 0, ss = 0, st = 0, sm = 0, tm = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      if (energy[i]! < cut) continue;
      const gx = (blurred[i + 1]! - blurred[i - 1]!) / 2, gy = (blurred[i + w]! - blurred[i - w]!) / 2;
      if (Math.hypot(gx, gy) > EDGE_RATIO * (Math.sqrt(energy[i]!) + 1e-4)) continue;
      const a = s[i]!, b = t[i]!;
      n++; sm += a; tm += b; ss += a * a; st += a * b;
    }
  }
  if (n === 0) return { kept: undefined, share: 0 };
  const ms = sm / n, vs = ss / n - ms * ms, cov = st / n - ms * (tm / n);
  return { kept: vs > 0 ? cov / vs : undefined, share: n / (w * h) };
}
