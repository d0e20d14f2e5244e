/**
 * Painted looks. Watercolour after Bousseau et al. (NPAR 2006): abstracted washes that
 * leave white paper in the highlights, darker pigment where a wash dries at its edge,
 * granulation in the paper's valleys. Oil: flat brush regions (edge-preserving
 * smoothing, a cheap stand-in for Kuwahara) in rich colour, with the picture's own
 * relief embossed as impasto and a fixed stroke texture. Pastel: high-key, pale, soft.
 * Dreamy: bloom spreading from the highlights and a soft-focus veil.
 */
import { num as n, type Step } from '../filter-graph.ts';
import { splitTone } from '../palette-grades.ts';
import { atWorkSize, dogLines, lutAll, paperTexture, softQuantise, unit, type RecipeContext } from './primitives.ts';

export function watercolor(k: number, ctx: RecipeContext): Step[] {
  const c = Math.min(k, 1);
  const u = unit(ctx);
  const levels = Math.round(8 - 3 * c);
  return [
    ...atWorkSize(ctx, (sc) => [
      // Flat washes: edge-preserving smoothing twice, then a few soft tone steps.
      `bilateral=sigmaS=${n((5 + 9 * c) * sc)}:sigmaR=${n(0.1 + 0.15 * c)}`,
      `bilateral=sigmaS=${n((5 + 9 * c) * sc)}:sigmaR=${n(0.1 + 0.15 * c)}`,
      `eq=saturation=${n(1 - 0.15 * c)}`,
      // Thin pigment on white paper: everything lighter, the brightest quarter left as paper.
      `curves=all='0/${n(0.06 + 0.1 * k)} 0.45/${n(0.52 + 0.14 * c)} ${n(0.82 - 0.1 * c)}/1 1/1'`,
      // Tone steps on luma only: stepping each colour channel apart speckles skin with colour.
      `lutyuv=y='${softQuantise(levels, 7, 16, 235)}'`,
      // Wet-in-wet: the washes bleed a little into each other.
      `gblur=sigma=${n((0.6 + 0.6 * c) * sc)}`,
    ]),
    // A wash dries darker at its edge: lines along the boundaries of the washes.
    { blend: 'multiply', opacity: 0.7 + 0.3 * c, side: dogLines(1.6 * u, 20 + 20 * k, 1) },
    // Granulation: pigment settles in the paper's valleys; white paper stays white.
    {
      lut2: `clip(255-(255-x)*(1+${n(0.1 + 0.1 * c)}*(128-y)/128),0,255)`,
      side: [],
      texture: paperTexture(ctx, 128, 40, 2.6 * u),
    },
  ];
}

export function oilPainting(k: number, ctx: RecipeContext): Step[] {
  const c = Math.min(k, 1);
  const u = unit(ctx);
  const levels = Math.round(12 - 5 * c);
  return [
    ...atWorkSize(ctx, (sc) => [
      `bilateral=sigmaS=${n((6 + 10 * c) * sc)}:sigmaR=${n(0.14 + 0.2 * c)}`,
      `eq=saturation=${n(1.25 + 0.45 * k)}:contrast=${n(1 + 0.15 * k)}`,
      lutAll(softQuantise(levels, 6)),
    ]),
    // Impasto: the painted picture's own relief, lit from the upper left and drawn out
    // along a stroke direction, so the ridges follow what is painted.
    {
      blend: 'overlay',
      opacity: 0.55 + 0.35 * c,
      side: [
        'format=gray',
        `convolution=0m='-2 -1 0 -1 0 1 0 1 2':0rdiv=${n(0.6 + 0.6 * c)}:0bias=128`,
        `dblur=angle=35:radius=${Math.max(1, Math.round(4 * u))}`,
      ],
    },
    // Brush strokes and canvas: a fixed grain drawn out into short strokes.
    {
      blend: 'overlay',
      opacity: 0.45 + 0.4 * c,
      side: [],
      texture: paperTexture(ctx, 128, 14 + 10 * c, 1.3 * u, 1.3 * u, { angle: 35, radius: 9 * u }),
    },
  ];
}

export function pastel(k: number, ctx: RecipeContext): Step[] {
  const c = Math.min(k, 1);
  return [
    ...atWorkSize(ctx, (sc) => [`bilateral=sigmaS=${n((2 + 4 * c) * sc)}:sigmaR=${n(0.05 + 0.1 * c)}`]),
    // High key: the darkest tone lifted to a pale grey, contrast and colour thinned.
    `curves=all='0/${n(0.15 + 0.3 * c)} 0.5/${n(0.6 + 0.15 * c)} 1/1'`,
    `eq=saturation=${n(1 - 0.45 * c)}`,
    splitTone({ shadows: [0.05 * k, 0.1 * k, 0.08 * k], highlights: [0.08 * k, 0, 0.06 * k] }),
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
