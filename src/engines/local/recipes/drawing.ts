/**
 * Drawn and inked looks. Pencil and charcoal are made of marks (the marks stage's
 * `drawing` kernel, after Lu, Xu and Jia 2012): contours along the edges, hatching along
 * the form whose density follows the tone, on paper tooth. Ink and cartoon lines after
 * XDoG (Winnemöller et al. 2012). Ink comic: flat printed colour, bold black contours and
 * Ben-Day dots in the shadows. Cel cartoon: few flat tones with a shadow band, clean thin
 * outlines, saturated colour.
 */
import { num as n, type Step } from '../filter-graph.ts';
import { atWorkSize, dogLines, dotScreen, lutAll, softQuantise, unit, type RecipeContext } from './primitives.ts';

/** Ben-Day dot period of the ink comic at 540p, in pixels. */
export const COMIC_DOT_PERIOD = 8;

/** Short side the drawn media's marks kernel works at; larger outputs are scaled up after it. */
export const DRAWN_PROXY = 540;

/**
 * Pencil after Lu, Xu and Jia (NPAR 2012), in the marks stage's `drawing` kernel
 * (pixel-stage/native/marks/drawing.c): contours drawn along the edges, hatching laid
 * along the form whose density follows the tone, crossing in the darks, on paper tooth;
 * light graphite on white paper.
 */
export function pencilSketch(k: number, ctx: RecipeContext): Step[] {
  const c = Math.min(k, 1);
  const u = unit(ctx);
  const scale = Math.min(u, 1);
  // strength, stroke length, dot size, density, tone gamma, darkest, smudge, contour gain, tooth, cross.
  const params = [0.55 + 0.45 * c, Math.round((5 + 3 * c) * scale), 1.3 * scale, 0.1 + 0.04 * c, 0.75 - 0.25 * c, 0.24 - 0.04 * c, 1, 3 + 5 * k, 0.08 + 0.06 * c, 0.6 + 0.4 * c];
  return [{ marks: 'drawing', params, proxy: DRAWN_PROXY }];
}

/**
 * Charcoal in the same kernel: long broad strokes of a soft stick, smudged tone, deep
 * darks that still keep the form (the darkest value is lifted off black and the tone
 * curve leaves faces in the mid tones), heavy contours and a strong paper tooth.
 */
export function charcoal(k: number, ctx: RecipeContext): Step[] {
  const c = Math.min(k, 1);
  const u = unit(ctx);
  const scale = Math.min(u, 1);
  const params = [0.6 + 0.4 * c, Math.round((8 + 4 * c) * scale), 2.4 * scale, 0.16 + 0.06 * c, 1.3 + 0.4 * k, 0.1 - 0.04 * c, Math.round(2 + 2 * c), 5 + 7 * k, 0.22 + 0.12 * c, 0.8 + 0.2 * c];
  return [{ marks: 'drawing', params, proxy: DRAWN_PROXY }];
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
