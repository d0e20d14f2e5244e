/**
 * Drawn looks, made of marks (the marks stage's `drawing` kernel, after Lu, Xu and Jia
 * 2012): contours along the edges, hatching along the form whose density follows the
 * tone, on paper tooth. Pencil is light graphite on white paper; charcoal broad, smudged
 * and dark. (Ink comic and cartoon: inked.ts.)
 */
import { type Step } from '../filter-graph.ts';
import { SHEET_MARGIN, unit, type RecipeContext } from './primitives.ts';

/** Short side the drawn media's marks kernel works at; larger outputs are scaled up after it. */
export const DRAWN_PROXY = 540;
/**
 * The tones of each medium (Lu, Xu and Jia's model, drawing-tone.h): share of white paper,
 * share of darks, the band of mid tones, the darks' mean. A pencil drawing is mostly paper
 * with a band of hatched mid tones and few darks; a charcoal one has less paper, a lower
 * band of mid tones and more than three times the share of deeper darks (with less, an
 * overexposed shot in charcoal came out nearly as light as in pencil, and viewers swapped
 * the two).
 */
const PENCIL_TONES = [0.5, 0.1, 0.5, 0.92, 0.3];
const CHARCOAL_TONES = [0.3, 0.35, 0.3, 0.85, 0.12];

/**
 * The share of pencil's stumping of open, smooth areas (param [21]) kept in the light
 * tones, full again in the darker ones: a light wall or sky left as smooth grey made the
 * drawing read as "a filtered grey photo with outlines"; hatched lightly it reads as
 * drawn, while a dim face's darker open areas stay stumped rather than scribbled over.
 * (Charcoal keeps all of it: its broad strokes laid over a light wall read as "stamped
 * dabs", and viewers preferred it stumped.)
 */
const PENCIL_STUMPED_LIGHT = 0.3;

/**
 * Charcoal's second, crossing layer of strokes in the darks (pencil's 0.6–1): none. Its
 * broad strokes crossed read as "a mechanical basket-weave"; laid one way along the form,
 * as a stick is, viewers preferred them in 22 of 30 paired comparisons.
 */
const CHARCOAL_LAYERING = 0;

/** How far charcoal still hatches a texture with a direction among features (pencil's 0.5): a beard or a mouth in scribbles reads as a lost face. */
const CHARCOAL_DIRECTED = 0.2;

/**
 * The drawn media's margin (params [26] and [27], SHEET_MARGIN): the drawing fades to
 * bare paper, its edge made of stroke ends, sparing what is busy with features (a face,
 * hair). Three fresh viewers each time, choosing between the same frame with and without
 * it, preferred it in 23 of 30 pencil pairs and 27 of 30 charcoal ones: "a study that
 * trails off into the paper" against "a filtered photo" (docs/looks.md).
 */
const margin = (c: number): number[] => [SHEET_MARGIN.fade(c), SHEET_MARGIN.depth];

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
    // white paper, directed texture among features hatched half as much, open smooth areas
    // stumped as charcoal's are, tones lifted as far as darkened, features found by their
    // contrast against the local tone (by their depth alone, a dim face's were too shallow,
    // and its shadowed half was hatched over in dark scribble: every viewer rated it 0)
    0, 0.5, 0.7, 0.7 + 0.3 * c, 1,
    // the histogram's stretch (as charcoal's below), then the stumping kept in the light tones
    1.6, PENCIL_STUMPED_LIGHT,
    // the margin faded to paper, and its depth
    ...margin(c),
  ];
  return [{ marks: 'drawing', params, proxy: DRAWN_PROXY }];
}

/**
 * Charcoal: the same drawing in a soft stick on cream, toothed paper. Its strokes are
 * broader and longer than pencil's and smudged soft, and follow the form one way, the
 * darks included, its darks are deeper and more of the frame (a charcoal drawing is dark and
 * smudgy), the paper's coarser tooth shows through every grey, and its black is cool on
 * the warm paper. A blind rating check preferred this to the massed, blended charcoal it
 * replaces (docs/looks.md).
 */
export function charcoal(k: number, ctx: RecipeContext): Step[] {
  const c = Math.min(k, 1);
  const u = unit(ctx);
  const scale = Math.min(u, 1);
  const params = [
    // as pencil's
    0.6 + 0.4 * c, Math.round((13 + 5 * c) * scale), 2.4 * scale, 0.05 + 0.01 * c, 0.7 + 0.3 * c, 0.05 - 0.02 * c, 3, 3 + 5 * k, 0.24 + 0.1 * c, CHARCOAL_LAYERING, 0.96, 3,
    // then cream paper, how far directed texture among features (a beard, hair) is hatched,
    // how much of open smooth areas is stumped, how far tones are lifted, features found by their contrast,
    ...CHARCOAL_TONES, 0.3, 1, 1, CHARCOAL_DIRECTED, 0.7, 0.45 + 0.2 * c, 1,
    // how far the shot's histogram may be stretched to the medium's (pencil's 1.6): a bright shot drawn dark
    3,
    // the stumping kept in the light tones (all of it), the margin faded to paper, and its depth
    1, ...margin(c),
  ];
  return [{ marks: 'drawing', params, proxy: DRAWN_PROXY }];
}
