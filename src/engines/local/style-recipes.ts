/**
 * One image-processing recipe per style family, each carrying the marks a viewer names
 * the family by (see recipes/ for the techniques and their sources). Every parameter
 * grows with the intensity `k` (0..~1.7), and nothing is random per frame: thresholds
 * are soft and textures are made once and fixed to the frame, so the output flickers
 * no more than the source.
 */
import { num as n, type Step } from './filter-graph.ts';
import { noir, sepia } from './recipes/film.ts';
import { charcoal, pencilSketch } from './recipes/drawing.ts';
import { cartoon, inkComic, neon } from './recipes/inked.ts';
import { dreamy, oilPainting, pastel, watercolor } from './recipes/paint.ts';
import type { RecipeContext } from './recipes/primitives.ts';
import { pixelArt, popArt, vhs } from './recipes/screen.ts';
import type { LookStyle } from './vocabulary.ts';

export { atWorkSize, softQuantise, WORK_SHORT_SIDE, type RecipeContext } from './recipes/primitives.ts';

/** The steps of `style` at intensity `k`. */
export function styleSteps(style: LookStyle, k: number, ctx: RecipeContext): Step[] {
  switch (style) {
    case 'neutral':
      return [`eq=contrast=${n(1 + 0.15 * k)}:saturation=${n(1 + 0.25 * k)}`];
    case 'watercolor':
      return watercolor(k, ctx);
    case 'oil_painting':
      return oilPainting(k, ctx);
    case 'pencil_sketch':
      return pencilSketch(k, ctx);
    case 'charcoal':
      return charcoal(k, ctx);
    case 'ink_comic':
      return inkComic(k);
    case 'cartoon':
      return cartoon(k);
    case 'pixel_art':
      return pixelArt(k, ctx);
    case 'pop_art':
      return popArt(k);
    case 'noir':
      return noir(k, ctx);
    case 'sepia':
      return sepia(k);
    case 'neon':
      return neon(k);
    case 'pastel':
      return pastel(k, ctx);
    case 'dreamy':
      return dreamy(k, ctx);
    case 'vhs':
      return vhs(k, ctx);
  }
}
