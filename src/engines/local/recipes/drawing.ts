/**
 * Drawn looks, after XDoG (Winnemöller et al. 2012) for the lines. Pencil:
 * graphite hatching on white paper, the strokes a line screen that darker tones cross
 * twice. Charcoal: broad smudged tone with crushed darks, paper tooth catching the
 * stick, heavy strokes at edges. (Ink comic and cartoon: inked.ts.)
 */
import { num as n, type Step } from '../filter-graph.ts';
import { atWorkSize, dogLines, lineScreen, paperTexture, softThreshold, unit, type RecipeContext } from './primitives.ts';

/** Hatching period at 540p, in pixels. */
export const HATCH_PERIOD = 7;

export function pencilSketch(k: number, ctx: RecipeContext): Step[] {
  const c = Math.min(k, 1);
  const u = unit(ctx);
  return [
    'format=gray',
    ...atWorkSize(ctx, (sc) => [`gblur=sigma=${n(1.2 * sc)}`]),
    // Paper shows wherever the picture is light: tones pushed up before hatching.
    `lut=c0='255*pow(val/255,${n(0.95 - 0.35 * c)})'`,
    // Graphite strokes where the tone falls below the line screen; a second direction in the darks.
    { lut2: softThreshold(2 + 3 * c), format: 'gray', side: [], texture: lineScreen(ctx, HATCH_PERIOD * u, 45, -45) },
    // Contours drawn over the hatching.
    { blend: 'multiply', format: 'gray', opacity: 0.6 + 0.4 * c, side: dogLines(1.1 * u, 25 + 25 * k, 1) },
    // Graphite is grey, not black; the paper a warm white.
    `lut=c0='${n(70 - 20 * c)}+val*${n((246 - 70 + 20 * c) / 255)}'`,
    'format=yuv444p',
    // The paper's tooth, fixed to the frame, from the marks stage.
    { marks: 'paper_grain', params: [0.3 + 0.3 * c, 1.5 * u] },
  ];
}

export function charcoal(k: number, ctx: RecipeContext): Step[] {
  const c = Math.min(k, 1);
  const u = unit(ctx);
  return [
    'format=gray',
    // Broad smudged tone, darks crushed.
    ...atWorkSize(ctx, (sc) => [`gblur=sigma=${n((2 + 3 * c) * sc)}`]),
    `lut=c0='255*pow(val/255,${n(1.3 + 0.6 * k)})'`,
    // Paper tooth: the stick catches the raised grain, so mid and dark tones break up
    // into specks of paper; pure white and pure black stay as they are.
    {
      lut2: `clip(x+(y-128)*${n(0.35 + 0.3 * c)}*(1-abs(x-128)/150),0,255)`,
      format: 'gray',
      side: [],
      texture: paperTexture(ctx, 128, 36, 1.8 * u, 0.7 * u),
    },
    // Heavy strokes along the edges.
    { blend: 'multiply', format: 'gray', opacity: 0.6 + 0.4 * c, side: [...dogLines(2.4 * u, 16 + 14 * k, 1), 'erosion'] },
    'format=yuv444p',
  ];
}
