/**
 * Building blocks the style recipes share: soft quantisation (a staircase of sigmoids,
 * so a pixel near a band edge fades rather than jumps between frames), gradient maps,
 * medians, work-size processing for smoothing that holds no fine detail, the drawn
 * media's margin, and still textures made once per render (paper grain, line screens
 * for hatching). Textures are fixed to the frame, never random per frame, so they add
 * no flicker.
 */
import { num as n, type Step, type Texture } from '../filter-graph.ts';

export interface RecipeContext {
  /** Output size; block sizes and blur radii are given for 540p and scaled by height. */
  width: number;
  height: number;
  /**
   * The source is black-and-white (shot-tone.ts), so the look gets it already coloured
   * by tone (its own colours for a colourless source); a step that reads a picture's
   * own colour may then be left out.
   */
  colourless?: boolean | undefined;
  /**
   * The strongest intensity of the render's segments (a strength schedule): what a look
   * fixes for the whole render follows it, since a marks kernel works at one size
   * (pixel art's grid). Default: the intensity the look is built for.
   */
  strongest?: number | undefined;
}

/**
 * A soft staircase with `levels` steps over lo..hi as a lut expression: each step is a
 * sigmoid of `sharpness` instead of a hard threshold.
 */
export function softQuantise(levels: number, sharpness: number, lo = 0, hi = 255): string {
  const step = (hi - lo) / (levels - 1);
  const f = `((clip(val,${lo},${hi})-${lo})/${n(step)})`;
  const s0 = 1 / (1 + Math.exp(sharpness / 2));
  const span = 1 - 2 * s0;
  const t = `(${f}-floor(${f}))`;
  const sig = `((1/(1+exp(-${n(sharpness)}*(${t}-0.5)))-${n(s0)})/${n(span)})`;
  return `${lo}+(floor(${f})+${sig})*${n(step)}`;
}

/**
 * A gradient map as `lutrgb`: each channel's value (on a grey picture, its tone) runs
 * piecewise linearly through `stops` (position 0..1, colour 0..255), so a black-and-white
 * picture takes the stops' colours by tone.
 */
export function gradientMap(stops: readonly (readonly [number, readonly [number, number, number]])[]): string {
  const channel = (c: number): string => {
    let expr = n(stops.at(-1)![1][c]!);
    for (let i = stops.length - 2; i >= 0; i--) {
      const [p0, c0] = stops[i]!, [p1, c1] = stops[i + 1]!;
      const a = p0 * 255, b = p1 * 255;
      expr = `if(lt(val,${n(b)}),${n(c0[c]!)}+(clip(val,${n(a)},${n(b)})-${n(a)})*${n((c1[c]! - c0[c]!) / Math.max(1e-6, b - a))},${expr})`;
    }
    return expr;
  };
  return `lutrgb=r='${channel(0)}':g='${channel(1)}':b='${channel(2)}'`;
}

/** The same expression on the three channels of `lutrgb`. */
export const lutAll = (expression: string): string => `lutrgb=r='${expression}':g='${expression}':b='${expression}'`;

/**
 * A median of each plane over a square of `radius` pixels each way (FFmpeg's `median`).
 * The 3×3 one (radius 1) runs as `removegrain` mode 4, which clips each pixel to the
 * fourth lowest and highest of its eight neighbours, the same 3×3 median, on a copy
 * grown by one pixel whose edge repeats the frame's own (as `median` treats the edges),
 * then cropped back: the same picture byte for byte, at a fraction of the cost
 * (`median` keeps running histograms, made for wide radii; at radius 1 it was a third
 * of pop art's filter time at 540p).
 */
export function median(radius: number): string[] {
  if (radius !== 1) return [`median=radius=${radius}`];
  return ['pad=iw+2:ih+2:1:1', 'fillborders=1:1:1:1:mode=smear', 'removegrain=m0=4:m1=4:m2=4', 'crop=iw-2:ih-2:1:1'];
}

/** Bounds of the short side that smoothing and wide blurs run at; see {@link atWorkSize}. */
export const WORK_SHORT_SIDE = { min: 360, max: 540 };

/**
 * `build(scale)` run on a copy shrunk to half the short side (kept within
 * {@link WORK_SHORT_SIDE}) and scaled back up: edge-preserving smoothing and wide blurs
 * hold no fine detail, so a quarter of the pixels gives nearly the same picture at a
 * fraction of the cost. `scale` is the factor the steps' radii are given for (1 at
 * 540p). Small frames are processed as they are.
 */
export function atWorkSize<S extends Step>(ctx: RecipeContext, build: (scale: number) => S[]): (S | string)[] {
  const work = workSize(ctx);
  if (work.width === ctx.width && work.height === ctx.height) return build(work.scale);
  return [
    `scale=${work.width}:${work.height}:flags=area`,
    ...build(work.scale),
    `scale=${ctx.width}:${ctx.height}:flags=bicubic`,
  ];
}

/**
 * The size {@link atWorkSize} runs its steps at, and the scale of 540p radii there; a
 * still texture used inside those steps is made at this size.
 */
export function workSize(ctx: RecipeContext): { width: number; height: number; scale: number } {
  const short = Math.min(ctx.width, ctx.height);
  const shrink = short / Math.min(WORK_SHORT_SIDE.max, Math.max(WORK_SHORT_SIDE.min, short / 2));
  if (shrink <= 1.2) return { width: ctx.width, height: ctx.height, scale: ctx.height / 540 };
  const even = (v: number): number => Math.max(2, Math.round(v / shrink / 2) * 2);
  return { width: even(ctx.width), height: even(ctx.height), scale: ctx.height / shrink / 540 };
}

/** The scale of 540p radii at this output size (by the short side, so portrait clips match). */
export const unit = (ctx: RecipeContext): number => Math.min(ctx.width, ctx.height) / 540;

/**
 * The margin of a drawing on a sheet (pencil, charcoal, pastel; the kernels'
 * marks_margin): the marks give out in a ragged band about a ninth of the short side
 * deep, so the sheet shows round the picture as round a study that stops short of the
 * edge. How far they give out (all of it from the default strength, 0.6 at the gentlest,
 * so strength stays monotone), and the band's depth. Paired comparisons in
 * docs/looks.md ("The margin").
 */
export const SHEET_MARGIN = { fade: (c: number): number => Math.min(1, 0.4 + c), depth: 0.11 } as const;

/** Spread (standard deviation, in levels) of FFmpeg's uniform grain at strength 60, and its mean. */
const GRAIN = { std: 17.3, mean: 125 };

/**
 * Paper, canvas or brush strokes: a fixed grain around `level`, blurred by `sigma` down
 * and `sigmaH` across into fibres (and, with `stroke`, drawn out along a direction),
 * then stretched so it deviates from `level` by about `spread` levels (its standard
 * deviation). The stretch undoes what the blurs average away: measured, a Gaussian
 * leaves about 1.3/(2·sqrt(pi·sigma·sigmaH)) of the grain and a directional blur of
 * radius r about 1/sqrt(1.6·r).
 */
export function paperTexture(
  ctx: RecipeContext, level: number, spread: number, sigma: number, sigmaH = sigma, stroke?: { angle: number; radius: number },
): Texture {
  let left = GRAIN.std * Math.min(1, 1.3 / (2 * Math.sqrt(Math.PI * sigma * sigmaH)));
  const steps: Step[] = ['noise=c0s=60:c0f=u', `gblur=sigma=${n(sigmaH)}:sigmaV=${n(sigma)}`];
  if (stroke) {
    const radius = Math.max(1, Math.round(stroke.radius));
    steps.push(`dblur=angle=${n(stroke.angle)}:radius=${radius}`);
    left /= Math.sqrt(1.6 * radius);
  }
  steps.push(`lut=c0='clip(${Math.round(level)}+(val-${GRAIN.mean})*${n(spread / left)},0,255)'`);
  return { width: ctx.width, height: ctx.height, steps };
}

/**
 * A line screen for hatching: a triangle wave across lines at `angle` degrees with
 * `period` pixels, as a threshold map 0..255; `cross` adds a second direction that
 * only darker tones reach (cross-hatching), `wobble` bends the lines a little like a
 * hand would.
 */
export function lineScreen(ctx: RecipeContext, period: number, angle: number, cross?: number): Texture {
  const wave = (deg: number): string => {
    const a = (deg * Math.PI) / 180;
    const d = `(X*${n(Math.sin(a))}-Y*${n(Math.cos(a))}+${n(period * 0.12)}*sin(X/${n(period * 7)})*sin(Y/${n(period * 5)}))`;
    return `abs(mod(${d},${n(period)})/${n(period)}*2-1)`;
  };
  const first = `255*${wave(angle)}`;
  const lum = cross === undefined ? first : `max(${first},190*${wave(cross)})`;
  return { width: ctx.width, height: ctx.height, steps: [`geq=lum='${lum}'`] };
}

