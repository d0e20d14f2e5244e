/**
 * Painted looks, their marks drawn by kernels of the marks stage (pixel-stage/native/
 * marks/paint.c) along the frame's field of directions. Watercolour after Bousseau et al.
 * (NPAR 2006): abstracted washes on white paper, then pigment density in C (a slow
 * turbulence, darker pigment at the wash edges, granulation in the paper's tooth). Oil:
 * anisotropic Kuwahara regions (Kyprianidis et al. 2009), brush strokes along the form
 * and impasto lit from the painted surface. Pastel: chalk strokes along the form on a
 * tinted, toothy paper in a soft light palette that a colourless source takes too.
 * Dreamy: bloom spreading from the highlights and a soft-focus veil.
 */
import { num as n, type Step } from '../filter-graph.ts';
import { splitTone } from '../palette-grades.ts';
import { atWorkSize, lutAll, type RecipeContext } from './primitives.ts';

/** Short side the painted kernels work at: the marks are drawn there and scaled up. */
const PAINT_PROXY = { oil: 360, watercolor: 540, pastel: 540 };

/** Pixels at the kernel's size per pixel of a 540p frame. */
function proxyUnit(ctx: RecipeContext, proxy: number): number {
  return Math.min(proxy, Math.min(ctx.width, ctx.height)) / 540;
}

export function watercolor(k: number, ctx: RecipeContext): Step[] {
  const c = Math.min(k, 1);
  const pu = proxyUnit(ctx, PAINT_PROXY.watercolor);
  return [
    ...atWorkSize(ctx, (sc) => [
      // Flat washes: edge-preserving smoothing twice (no tone steps: stepped tones cut
      // features out of faces as patches).
      `bilateral=sigmaS=${n((5 + 9 * c) * sc)}:sigmaR=${n(0.1 + 0.12 * c)}`,
      `bilateral=sigmaS=${n((5 + 9 * c) * sc)}:sigmaR=${n(0.1 + 0.12 * c)}`,
      `eq=saturation=${n(1 - 0.15 * c)}`,
      // Thin pigment on white paper: everything lighter, the brightest quarter left as paper.
      `curves=all='0/${n(0.06 + 0.1 * k)} 0.45/${n(0.52 + 0.14 * c)} ${n(0.82 - 0.1 * c)}/1 1/1'`,
      // Wet-in-wet: the washes bleed a little into each other.
      `gblur=sigma=${n((0.6 + 0.6 * c) * sc)}`,
    ]),
    // Pigment density: turbulence, edge darkening, granulation (white paper stays white).
    { marks: 'watercolor_paint', params: [0.1 + 0.08 * c, 0.3 + 0.3 * c, 0.1 + 0.08 * c, 1.6 * pu, 60 * pu], proxy: PAINT_PROXY.watercolor },
  ];
}

export function oilPainting(k: number, ctx: RecipeContext): Step[] {
  const c = Math.min(k, 1);
  const pu = proxyUnit(ctx, PAINT_PROXY.oil);
  return [
    `eq=saturation=${n(1.25 + 0.45 * k)}:contrast=${n(1 + 0.15 * k)}`,
    // Regions, strokes along the form and impasto: params strength, radius, stroke length, impasto.
    { marks: 'oil_paint', params: [c, (4 + 2.5 * c) * pu, Math.round((9 + 9 * c) * pu), 0.45 + 0.35 * c], proxy: PAINT_PROXY.oil },
  ];
}

export function pastel(k: number, ctx: RecipeContext): Step[] {
  const c = Math.min(k, 1);
  const pu = proxyUnit(ctx, PAINT_PROXY.pastel);
  return [
    ...atWorkSize(ctx, (sc) => [`bilateral=sigmaS=${n((2 + 4 * c) * sc)}:sigmaR=${n(0.05 + 0.1 * c)}`]),
    // Chalk along the form on tinted paper: params strength, stroke length, tooth size.
    { marks: 'pastel_chalk', params: [0.4 + 0.6 * c, Math.round((6 + 6 * c) * pu), 1.4 * pu], proxy: PAINT_PROXY.pastel },
  ];
}

export function dreamy(k: number, ctx: RecipeContext): Step[] {
  const c = Math.min(k, 1);
  return [
    // Bloom: the highlights alone, spread wide and screened back, glow into their surroundings.
    {
      blend: 'screen',
      opacity: 0.75 + 0.25 * c,
      side: atWorkSize(ctx, (sc) => [lutAll(`clip((val-${Math.round(150 - 50 * c)})*2.5,0,255)`), `gblur=sigma=${n((14 + 16 * c) * sc)}`]),
    },
    // Soft focus: a veil of the picture itself, blurred.
    { blend: 'normal', opacity: 0.6 + 0.3 * c, side: atWorkSize(ctx, (sc) => [`gblur=sigma=${n((4 + 5 * c) * sc)}`]) },
    splitTone({ midtones: [0.06 * k, 0, 0.05 * k], highlights: [0.06 * k, 0.02 * k, 0.02 * k] }),
    `vignette=a=${n(0.15 + 0.25 * c)}`,
  ];
}
