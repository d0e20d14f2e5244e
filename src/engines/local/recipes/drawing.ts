/**
 * Drawn looks, made of marks (the marks stage's `drawing` kernel, after Lu, Xu and Jia
 * 2012): contours along the edges, hatching along the form whose density follows the
 * tone, on paper tooth. Pencil is light graphite on white paper; charcoal broad, smudged
 * and dark. (Ink comic and cartoon: inked.ts.)
 */
import { type Step } from '../filter-graph.ts';
import { unit, type RecipeContext } from './primitives.ts';

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
  // strength, stroke length, dot size, density, tone gamma, darkest, smudge, contour gain, tooth, cross, shadow tone, accent gain.
  const params = [0.55 + 0.45 * c, Math.round((5 + 3 * c) * scale), 1.3 * scale, 0.1 + 0.04 * c, 0.75 - 0.25 * c, 0.24 - 0.04 * c, 1, 3 + 5 * k, 0.08 + 0.06 * c, 0.6 + 0.4 * c, 0.55, 2.5];
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
  const params = [0.6 + 0.4 * c, Math.round((8 + 4 * c) * scale), 2.4 * scale, 0.16 + 0.06 * c, 1.5 + 0.5 * k, 0.1 - 0.04 * c, Math.round(2 + 2 * c), 4 + 6 * k, 0.35 + 0.15 * c, 0.8 + 0.2 * c, 0.6, 3];
  return [{ marks: 'drawing', params, proxy: DRAWN_PROXY }];
}
