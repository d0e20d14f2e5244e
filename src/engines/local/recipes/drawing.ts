/**
 * Drawn and inked looks, after XDoG (Winnemöller et al. 2012) for the lines. Pencil:
 * graphite hatching on white paper, the strokes a line screen that darker tones cross
 * twice. Charcoal: broad smudged tone with crushed darks, paper tooth catching the
 * stick, heavy strokes at edges. Ink comic: flat printed colour, bold black contours and
 * Ben-Day dots in the shadows. Cel cartoon: few flat tones with a shadow band, clean thin
 * outlines, saturated colour.
 */
import { num as n, type Step } from '../filter-graph.ts';
import { atWorkSize, dogLines, dotScreen, lineScreen, lutAll, paperTexture, softQuantise, softThreshold, unit, type RecipeContext } from './primitives.ts';

/** Hatching period at 540p, in pixels. */
export const HATCH_PERIOD = 7;
/** Ben-Day dot period of the ink comic at 540p, in pixels. */
export const COMIC_DOT_PERIOD = 8;

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

export function inkComic(k: number, ctx: RecipeContext): Step[] {
  const c = Math.min(k, 1);
  const u = unit(ctx);
  return [
    ...atWorkSize(ctx, (sc) => [`bilateral=sigmaS=${n((3 + 6 * c) * sc)}:sigmaR=${n(0.1 + 0.12 * c)}`]),
    `eq=saturation=${n(1.1 + 0.3 * k)}:contrast=${n(1.05 + 0.15 * k)}`,
    // Flat printed colour: four inks a channel.
    lutAll(softQuantise(4, 12)),
    // Ben-Day shading: black dots, larger the darker the picture, only in the shadows.
    {
      blend: 'multiply',
      side: ['format=gray', { lut2: `clip(128+(x-y*${n(0.5 + 0.2 * c)})*4,0,255)`, format: 'gray', side: [], texture: dotScreen(ctx, COMIC_DOT_PERIOD * u, 45) }],
    },
    // Bold contours: a steep line threshold, thickened.
    { blend: 'multiply', opacity: 0.75 + 0.25 * c, side: [...dogLines(1.2 * u, 50 + 40 * k, 1), 'erosion'] },
  ];
}

export function cartoon(k: number, ctx: RecipeContext): Step[] {
  const c = Math.min(k, 1);
  const u = unit(ctx);
  return [
    ...atWorkSize(ctx, (sc) => [
      `bilateral=sigmaS=${n((4 + 8 * c) * sc)}:sigmaR=${n(0.1 + 0.14 * c)}`,
      `bilateral=sigmaS=${n((4 + 8 * c) * sc)}:sigmaR=${n(0.1 + 0.14 * c)}`,
      // Few tones: light, mid and a shadow band, with soft edges between them.
      `lutyuv=y='${softQuantise(Math.round(5 - c), 9, 16, 235)}'`,
      `eq=saturation=${n(1.4 + 0.6 * k)}:contrast=${n(1 + 0.1 * k)}`,
    ]),
    // Clean thin outlines.
    { blend: 'multiply', opacity: 0.6 + 0.4 * c, side: dogLines(1 * u, 25 + 30 * k, 1) },
  ];
}
