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
function dogLines(sigma: number, gain: number, threshold: number): Step[] {
  return [
    'format=gray',
    `gblur=sigma=${n(sigma)}`,
    // wide blur minus narrow blur is positive on the dark side of an edge: the line.
    { blend: 'subtract', sideOnTop: true, format: 'gray', side: [`gblur=sigma=${n(sigma * 1.6)}`] },
    `lut=c0='255*exp(-max(val-${n(threshold)},0)*${n(gain)}/255)'`,
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

const staticGrain = (amount: number): string => `noise=c0s=${Math.max(1, Math.round(amount))}:c0f=u`;

/** The steps of `style` at intensity `k`. */
export function styleSteps(style: LookStyle, k: number, ctx: RecipeContext): Step[] {
  const c = Math.min(k, 1);
  const scale = ctx.height / 540;
  const reduced = (build: (scale: number) => string[]): string[] => atWorkSize(ctx, build);
  switch (style) {
    case 'neutral':
      return [`eq=contrast=${n(1 + 0.15 * k)}:saturation=${n(1 + 0.25 * k)}`];
    case 'watercolor':
      return [
        ...reduced((sc) => [`bilateral=sigmaS=${n((3 + 8 * c) * sc)}:sigmaR=${n(0.05 + 0.2 * c)}`]),
        `lutrgb=r='${softQuantise(Math.round(14 - 6 * c), 4)}':g='${softQuantise(Math.round(14 - 6 * c), 4)}':b='${softQuantise(Math.round(14 - 6 * c), 4)}'`,
        // Pigment pools at the edges of washes: soft dark outlines.
        { blend: 'multiply', opacity: 0.25 + 0.5 * c, side: [...dogLines(1.2 * scale, 6 + 10 * k, 2)] },
        // RGB steps side by side share one conversion out of YUV.
        `curves=all='0/${n(0.08 * k)} 0.5/${n(0.5 + 0.06 * k)} 1/1'`,
        `eq=saturation=${n(1 + 0.25 * k)}:brightness=${n(0.04 * k)}:contrast=${n(1 - 0.12 * k)}`,
        'format=yuv444p',
        staticGrain(3 + 6 * k),
      ];
    case 'oil_painting':
      return [
        // Flat brush-like regions that keep edges (a cheap stand-in for Kuwahara).
        ...reduced((sc) => [
          `bilateral=sigmaS=${n((3 + 6 * c) * sc)}:sigmaR=${n(0.08 + 0.12 * c)}`,
          `bilateral=sigmaS=${n((3 + 6 * c) * sc)}:sigmaR=${n(0.08 + 0.12 * c)}`,
        ]),
        `lutrgb=r='${softQuantise(Math.round(20 - 10 * c), 3)}':g='${softQuantise(Math.round(20 - 10 * c), 3)}':b='${softQuantise(Math.round(20 - 10 * c), 3)}'`,
        // Brush relief: an emboss of the luminance laid over the colours.
        { blend: 'overlay', opacity: 0.15 + 0.35 * c, side: ['format=gray', "convolution=0m='-2 -1 0 -1 1 1 0 1 2':0rdiv=1:0bias=0"] },
        `eq=saturation=${n(1 + 0.4 * k)}:contrast=${n(1 + 0.12 * k)}`,
      ];
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
      const levels = Math.round(12 - 7 * c);
      return [
        ...reduced((sc) => [
          `bilateral=sigmaS=${n((2 + 6 * c) * sc)}:sigmaR=${n(0.06 + 0.12 * c)}`,
          `bilateral=sigmaS=${n((2 + 6 * c) * sc)}:sigmaR=${n(0.06 + 0.12 * c)}`,
        ]),
        `lutyuv=y='${softQuantise(levels, 6, 16, 235)}'`,
        `eq=saturation=${n(1 + 0.7 * k)}:contrast=${n(1 + 0.1 * k)}`,
        { blend: 'multiply', opacity: 0.3 + 0.6 * c, side: [...dogLines(1.2 * scale, 10 + 20 * k, 2)] },
      ];
    }
    case 'pixel_art': {
      const block = Math.max(2, (3 + 9 * c) * scale);
      const small = (side: number): number => Math.max(8, Math.round(side / block));
      const levels = Math.round(10 - 5 * c);
      return [
        `scale=${small(ctx.width)}:${small(ctx.height)}:flags=area`,
        `eq=saturation=${n(1 + 0.4 * k)}:contrast=${n(1 + 0.1 * k)}`,
        `lutrgb=r='${softQuantise(levels, 8)}':g='${softQuantise(levels, 8)}':b='${softQuantise(levels, 8)}'`,
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
    case 'vhs':
      return [
        `gblur=sigma=${n((0.4 + 0.8 * c) * scale)}:sigmaV=0.01`,
        'format=yuv444p',
        // Tape keeps little colour resolution: smeared, shifted chroma.
        `gblur=sigma=${n((1.5 + 4 * c) * scale)}:planes=6`,
        `chromashift=cbh=${Math.round((2 + 5 * c) * scale)}:crh=${-Math.round((2 + 5 * c) * scale)}`,
        `rgbashift=rh=${Math.round((1 + 3 * c) * scale)}:bh=${-Math.round((1 + 3 * c) * scale)}`,
        `eq=saturation=${n(1 + 0.3 * k)}:contrast=${n(1 - 0.1 * k)}:brightness=${n(0.02 * k)}`,
        `drawgrid=w=iw:h=${Math.max(2, Math.round(3 * scale))}:t=1:c=black@${n(0.1 + 0.25 * c)}`,
        'format=yuv444p',
        staticGrain(3 + 8 * k),
      ];
  }
}
