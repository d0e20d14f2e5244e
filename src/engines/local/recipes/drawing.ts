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
 * Charcoal's: its marks are broad and soft, so its kernel works at 480 lines and is scaled
 * up with the frame (its strokes and grain come out an eighth larger at 540p), for a fifth
 * less of the kernel's work.
 */
const CHARCOAL_PROXY = 480;

/**
 * The tones of each medium (Lu, Xu and Jia's model, drawing-tone.h): share of white paper,
 * share of darks, the band of mid tones, the darks' mean. A pencil drawing is mostly paper
 * with a band of hatched mid tones and few darks; a charcoal one is mostly mid tones,
 * with some paper and a share of darks that stay off black.
 */
const PENCIL_TONES = [0.5, 0.1, 0.5, 0.92, 0.3];
const CHARCOAL_TONES = [0.25, 0.2, 0.32, 0.92, 0.14];

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
  const params = [
    // strength, stroke length, dot size, density, tone model, darkest, smudge, contour gain, tooth, layering, hatching reach, accent gain
    0.55 + 0.45 * c, Math.round((7 + 4 * c) * scale), 1.3 * scale, 0.03 + 0.015 * c, 0.7 + 0.3 * c, 0.24 - 0.04 * c, 1, 3 + 5 * k, 0.08 + 0.06 * c, 0.6 + 0.4 * c, 0.96, 3,
    // the tone distribution: paper share, dark share, mid band, dark mean; the strokes' contrast in the lights and elsewhere
    ...PENCIL_TONES, 0.3, 1,
  ];
  return [{ marks: 'drawing', params, proxy: DRAWN_PROXY }];
}

/**
 * Charcoal in the same kernel, as a person draws it on cream paper: the photograph's tone
 * massed into soft gradations with a hint of a few values, rubbed soft between the masses
 * (its fine texture and soft shading left behind), every mass, the darks included, laid by
 * the side of the stick in strokes a few pixels wide that follow the form (or the hand's
 * slant), long over open masses and shorter and softer near features, dark accents on the
 * features' dark side (eye sockets, under a nose, a mouth) with the strokes and tooth
 * showing through them, bold contours thick beside the darks and thin or lost in the
 * lights, patches blended by a finger, the charcoal caught on the peaks of the paper's fine
 * tooth in every grey and dark (its pits show as light specks), a light stroke reaching
 * into the lights, and bare paper keeping its grain.
 */
export function charcoal(k: number, ctx: RecipeContext): Step[] {
  const c = Math.min(k, 1);
  const u = unit(ctx);
  const scale = Math.min(u, 1);
  const params = [
    // as pencil's, but the accent gain is the share of the paper's light the features' dark side takes, 0..1
    0.6 + 0.4 * c, Math.round((26 + 8 * c) * scale), 3 * scale, 0.04 + 0.01 * c, 0.7 + 0.3 * c, 0.05 - 0.02 * c, Math.round(3 + 2 * c), 4 + 6 * k, 0.3 + 0.06 * c, 0, 0.85, 0.5,
    // then the strokes' contrast in the lights (pencil's; charcoal's strokes fade with the reach), how much darker they press along themselves, the paper's grain size
    ...CHARCOAL_TONES, 0.6, 0.8, 2.2 * scale,
  ];
  return [{ marks: 'drawing', params, proxy: CHARCOAL_PROXY }];
}
