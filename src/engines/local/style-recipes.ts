/**
 * One image-processing recipe per style family, after the non-photorealistic rendering
 * literature: edge-preserving smoothing and soft quantisation for cel looks (Winnemöller
 * et al. 2006), difference-of-Gaussians lines for ink, pencil and charcoal (XDoG, 2012),
 * median "brush" regions for oil, abstraction + edge darkening + paper grain for
 * watercolour. Every parameter grows with the intensity `k` (0..~1.7), and nothing is
 * random per frame: thresholds are soft (sigmoids, exponentials) and textures are fixed
 * to the screen, so the output flickers no more than the source.
 */
import { num as n, type Step } from './filter-graph.ts';
import { splitTone } from './palette-grades.ts';
import type { LookStyle } from './vocabulary.ts';

export interface RecipeContext {
  /** Output size; block sizes and blur radii are given for 540p and scaled by height. */
  width: number;
  height: number;
}

/**
 * A soft staircase with `levels` steps over 0..255 as a lut expression: each step is a
 * sigmoid of `sharpness` instead of a hard threshold, so a pixel near a boundary fades
 * between bands rather than jumping from frame to frame.
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
 * Dark lines from a difference of Gaussians on luminance, soft-thresholded: white where
 * the picture is flat, darker the stronger the edge. Multiply onto a picture to ink it.
 */
function dogLines(sigma: number, gain: number, threshold: number, white = 255): Step[] {
  return [
    'format=gray',
    `gblur=sigma=${n(sigma)}`,
    // wide blur minus narrow blur is positive on the dark side of an edge: the line.
    { blend: 'subtract', sideOnTop: true, format: 'gray', side: [`gblur=sigma=${n(sigma * 1.6)}`] },
    `lut=c0='${white}*exp(-max(val-${n(threshold)},0)*${n(gain)}/255)'`,
  ];
}

/** Bounds of the short side that smoothing and wide blurs run at; see {@link atWorkSize}. */
export const WORK_SHORT_SIDE = { min: 360, max: 540 };

/**
 * `build(scale)` run on a copy shrunk to half the short side (kept within
 * {@link WORK_SHORT_SIDE}) and scaled back up. Edge-preserving smoothing and wide blurs
 * hold no fine detail, so working on a quarter of the pixels gives nearly the same
 * picture at a fraction of the cost; the lines that carry detail are drawn at full size.
 * `scale` is the factor the steps' radii are given for (1 at 540p), so a radius covers
 * the same part of the picture at any size. Small frames are processed as they are.
 */
export function atWorkSize(ctx: RecipeContext, build: (scale: number) => string[]): string[] {
  const short = Math.min(ctx.width, ctx.height);
  const shrink = short / Math.min(WORK_SHORT_SIDE.max, Math.max(WORK_SHORT_SIDE.min, short / 2));
  if (shrink <= 1.2) return build(ctx.height / 540);
  const even = (v: number): number => Math.max(2, Math.round(v / shrink / 2) * 2);
  return [
    `scale=${even(ctx.width)}:${even(ctx.height)}:flags=area`,
    ...build(ctx.height / shrink / 540),
    `scale=${ctx.width}:${ctx.height}:flags=bicubic`,
  ];
}

const power = (p: number): string => `255*pow(val/255,${n(p)})`;

/**
 * A fixed texture around a flat grey of `level`: uniform grain (the same pattern every
 * frame) blurred by `sigma` down and `sigmaH` across into fibres or strokes, then
 * stretched back so its deviations reach about `amount` levels.
 */
function paper(level: number, amount: number, sigma: number, sigmaH = sigma): string[] {
  // Blurring averages the grain away roughly with the square root of the area covered.
  const stretch = Math.sqrt(Math.max(1, 4 * Math.PI * sigma * sigmaH));
  return [
    'format=gray',
    'lut=c0=128',
    'noise=c0s=60:c0f=u',
    `gblur=sigma=${n(sigmaH)}:sigmaV=${n(sigma)}`,
    `lut=c0='clip(${Math.round(level)}+(val-128)*${n((stretch * amount) / 60)},0,255)'`,
  ];
}

const staticGrain = (amount: number): string => `noise=c0s=${Math.max(1, Math.round(amount))}:c0f=u`;

/** The steps of `style` at intensity `k`. */
export function styleSteps(style: LookStyle, k: number, ctx: RecipeContext): Step[] {
  const c = Math.min(k, 1);
  const scale = ctx.height / 540;
  const reduced = (build: (scale: number) => string[]): string[] => atWorkSize(ctx, build);
  switch (style) {
    case 'neutral':
      return [`eq=contrast=${n(1 + 0.15 * k)}:saturation=${n(1 + 0.25 * k)}`];
    case 'watercolor': {
      const levels = Math.round(12 - 6 * c);
      return [
        // Flat washes: strong edge-preserving smoothing, then a soft staircase of tones;
        // thin pigment on white paper: lighter and less saturated than the source. The
        // tone steps hold no fine detail either, so they run at the work size too.
        ...reduced((sc) => [
          `bilateral=sigmaS=${n((4 + 10 * c) * sc)}:sigmaR=${n(0.08 + 0.2 * c)}`,
          `bilateral=sigmaS=${n((4 + 10 * c) * sc)}:sigmaR=${n(0.08 + 0.2 * c)}`,
          `eq=saturation=${n(1 - 0.3 * c)}:brightness=${n(0.08 * k)}:contrast=${n(1 - 0.2 * k)}`,
          `curves=all='0/${n(0.15 * k)} 0.5/${n(0.5 + 0.08 * k)} 1/1'`,
          `lutrgb=r='${softQuantise(levels, 6)}':g='${softQuantise(levels, 6)}':b='${softQuantise(levels, 6)}'`,
        ]),
        // Pigment pools at the edges of washes (soft dark outlines) and paper (a fixed
        // grain blurred into fibres), mixed in grey so one colour blend applies both.
        { blend: 'multiply', opacity: 0.35 + 0.5 * c, side: [
          ...dogLines(2 * scale, 8 + 12 * k, 1, 245),
          // The same grain every frame; the lines' own blur has softened them already.
          `noise=c0s=${Math.round(8 + 10 * c)}:c0f=u`,
        ] },
      ];
    }
    case 'oil_painting': {
      const levels = Math.round(14 - 8 * c);
      return [
        // Flat brush-like regions that keep edges (a cheap stand-in for Kuwahara): a wide
        // edge-preserving pass (a median costs six times more), then a slight
        // posterisation; all at the work size.
        ...reduced((sc) => [
          `bilateral=sigmaS=${n((5 + 10 * c) * sc)}:sigmaR=${n(0.12 + 0.22 * c)}`,
          `eq=saturation=${n(1 + 0.4 * k)}:contrast=${n(1 + 0.15 * k)}`,
          `lutrgb=r='${softQuantise(levels, 7)}':g='${softQuantise(levels, 7)}':b='${softQuantise(levels, 7)}'`,
        ]),
        // Canvas and brush strokes: a fixed grain smeared sideways, laid over the colours.
        { blend: 'overlay', opacity: 0.3 + 0.4 * c, side: paper(128, 50 + 50 * c, 0.6 * scale, 3 * scale) },
      ];
    }
    case 'pencil_sketch':
      // Colour dodge of the grey picture by its blurred negative: lines where it changes.
      // A larger blur keeps more tone, so the blur shrinks as the strength grows.
      // Grey from the start: every blend runs on one plane.
      return [
        'format=gray',
        { blend: 'normal', format: 'gray', opacity: 0.45 + 0.55 * c, side: [
          { blend: 'dodge', sideOnTop: true, format: 'gray', side: ['negate', ...reduced((sc) => [`gblur=sigma=${n((14 - 10 * c) * sc)}`])] },
          // Darken the mid-greys so strokes read as graphite, not as a faint wash.
          `lut=c0='${power(1.5 + 2 * k)}'`,
        ] },
        'format=yuv444p',
        staticGrain(2 + 4 * k),
      ];
    case 'charcoal':
      return [
        'format=gray',
        `gblur=sigma=${n((0.5 + 1.5 * c) * scale)}`,
        { blend: 'multiply', format: 'gray', opacity: 0.4 + 0.6 * c, side: [...dogLines(2 * scale, 12 + 18 * k, 1)] },
        `eq=contrast=${n(1 + 0.6 * k)}:brightness=${n(-0.06 * k)}:gamma=${n(1 - 0.2 * c)}`,
        'format=yuv444p',
        staticGrain(6 + 10 * k),
      ];
    case 'ink_comic': {
      const levels = Math.round(7 - 3 * c);
      return [
        ...reduced((sc) => [`bilateral=sigmaS=${n((2 + 6 * c) * sc)}:sigmaR=${n(0.06 + 0.14 * c)}`]),
        `eq=saturation=${n(1 + 0.6 * k)}:contrast=${n(1 + 0.2 * k)}`,
        // Quantised in RGB right before the RGB blend: one conversion for both.
        `lutrgb=r='${softQuantise(levels, 10)}':g='${softQuantise(levels, 10)}':b='${softQuantise(levels, 10)}'`,
        { blend: 'multiply', opacity: 0.5 + 0.5 * c, side: [...dogLines(1 * scale, 20 + 30 * k, 1)] },
      ];
    }
    case 'cartoon': {
      const levels = Math.round(11 - 6 * c);
      return [
        ...reduced((sc) => [
          `bilateral=sigmaS=${n((3 + 7 * c) * sc)}:sigmaR=${n(0.08 + 0.14 * c)}`,
          // Flat colour holds no fine detail: the bands and colour boost run here too.
          `lutyuv=y='${softQuantise(levels, 8, 16, 235)}'`,
          `eq=saturation=${n(1 + 0.8 * k)}:contrast=${n(1 + 0.15 * k)}`,
        ]),
        { blend: 'multiply', opacity: 0.5 + 0.5 * c, side: [...dogLines(1.2 * scale, 20 + 30 * k, 1)] },
      ];
    }
    case 'pixel_art': {
      // The pixel grid's short side: 88 px at adhere_1, 64 at flex_2, 40 at reimagine_3.
      const factor = Math.min(0.5, Math.round(100 - 60 * c) / Math.min(ctx.width, ctx.height));
      const small = (side: number): number => Math.max(8, Math.round(side * factor));
      // A fixed palette (the same staircase every frame), not a per-frame one that flickers.
      const levels = Math.round(8 - 4 * c);
      return [
        `scale=${small(ctx.width)}:${small(ctx.height)}:flags=area`,
        `eq=saturation=${n(1 + 0.5 * k)}:contrast=${n(1 + 0.15 * k)}`,
        `lutrgb=r='${softQuantise(levels, 14)}':g='${softQuantise(levels, 14)}':b='${softQuantise(levels, 14)}'`,
        `scale=${ctx.width}:${ctx.height}:flags=neighbor`,
      ];
    }
    case 'pop_art': {
      const levels = Math.round(6 - 3 * c);
      return [
        ...reduced((sc) => [`bilateral=sigmaS=${n((2 + 4 * c) * sc)}:sigmaR=${n(0.1 + 0.1 * c)}`]),
        `eq=saturation=${n(1.2 + 1.2 * k)}:contrast=${n(1 + 0.3 * k)}`,
        `lutrgb=r='${softQuantise(levels, 12)}':g='${softQuantise(levels, 12)}':b='${softQuantise(levels, 12)}'`,
      ];
    }
    case 'noir':
      // Black and white is the definition of the look: colour goes at every level; the
      // strength drives contrast, the vignette and the grain.
      return [
        `eq=contrast=${n(1 + 0.5 * k)}:brightness=${n(-0.04 * k)}`,
        `vignette=a=${n(0.1 + 0.4 * c)}:dither=0`,
        // After the vignette, whose rounding would nudge neutral chroma off grey.
        'hue=s=0',
        'format=yuv444p',
        staticGrain(1 + 5 * k),
      ];
    case 'sepia': {
      // Mostly sepia at every level (otherwise it is not sepia); the strength finishes
      // the toning and drives the fade, vignette and grain.
      const m = Math.min(1, 0.65 + 0.35 * k);
      const mix = (sepia: number, identity: number): string => n(m * sepia + (1 - m) * identity);
      return [
        `colorchannelmixer=rr=${mix(0.393, 1)}:rg=${mix(0.769, 0)}:rb=${mix(0.189, 0)}` +
          `:gr=${mix(0.349, 0)}:gg=${mix(0.686, 1)}:gb=${mix(0.168, 0)}` +
          `:br=${mix(0.272, 0)}:bg=${mix(0.534, 0)}:bb=${mix(0.131, 1)}`,
        // Faded film: lifted blacks, dimmed whites.
        `curves=all='0/${n(0.12 * k)} 1/${n(1 - 0.12 * k)}'`,
        // In YUV: a vignette on planar RGB costs twice as much.
        'format=yuv444p',
        `vignette=a=${n(0.1 + 0.3 * c)}`,
        staticGrain(2 + 6 * k),
      ];
    }
    case 'neon':
      return [
        `eq=brightness=${n(-0.08 * k)}:contrast=${n(1 + 0.25 * k)}:saturation=${n(1.3 + 1.2 * k)}`,
        splitTone({ shadows: [0.15 * k, -0.1 * k, 0.3 * k], midtones: [0.1 * k, 0, 0.12 * k], highlights: [-0.15 * k, 0.05 * k, 0.2 * k] }),
        // Bloom: a blurred, saturated copy screened on top makes bright parts glow.
        { blend: 'screen', opacity: 0.25 + 0.45 * c, side: [...reduced((sc) => [`gblur=sigma=${n((6 + 10 * c) * sc)}`, 'eq=saturation=2'])] },
      ];
    case 'pastel':
      return [
        ...reduced((sc) => [`bilateral=sigmaS=${n((1 + 3 * c) * sc)}:sigmaR=${n(0.04 + 0.08 * c)}`]),
        `eq=contrast=${n(1 - 0.35 * k)}:brightness=${n(0.08 * k)}:saturation=${n(1 - 0.25 * c)}`,
        `curves=all='0/${n(0.12 * k)} 1/1'`,
        splitTone({ shadows: [0, 0.03 * k, 0], highlights: [0.06 * k, 0, 0.05 * k] }),
      ];
    case 'dreamy':
      return [
        { blend: 'screen', opacity: 0.2 + 0.45 * c, side: reduced((sc) => [`gblur=sigma=${n((8 + 14 * c) * sc)}`]) },
        splitTone({ highlights: [0.05 * k, 0, 0.03 * k] }),
        `eq=brightness=${n(0.03 * k)}:saturation=${n(1 - 0.1 * c)}:contrast=${n(1 - 0.1 * k)}`,
        `vignette=a=${n(0.1 + 0.25 * c)}`,
      ];
    case 'vhs': {
      const shift = (px: number): number => Math.max(1, Math.round(px * scale));
      return [
        // Soft in the horizontal direction only, like a tape head.
        `gblur=sigma=${n((0.8 + 1.6 * c) * scale)}:sigmaV=0.01`,
        'format=yuv444p',
        // Tape keeps little colour resolution: smeared, shifted chroma.
        `gblur=sigma=${n((2 + 5 * c) * scale)}:sigmaV=${n((0.5 + 1 * c) * scale)}:planes=6`,
        `chromashift=cbh=${shift(4 + 10 * c)}:crh=${-shift(4 + 10 * c)}`,
        `rgbashift=rh=${shift(1 + 4 * c)}:bh=${-shift(1 + 4 * c)}`,
        `eq=saturation=${n(1 + 0.3 * k)}:contrast=${n(1 - 0.12 * k)}:brightness=${n(0.03 * k)}`,
        // Scanlines: a dark line every few rows.
        `drawgrid=w=iw:h=${shift(3)}:t=${shift(1)}:c=black@${n(0.15 + 0.35 * c)}`,
        'format=yuv444p',
        staticGrain(3 + 8 * k),
      ];
    }
  }
}
