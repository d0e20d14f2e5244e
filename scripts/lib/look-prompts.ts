/** The prompts the gallery and the look benches render each style family from. */
import type { LookStyle } from '../../src/engines/local/vocabulary.ts';

/** A prompt a user might write for each family (the neutral look: no style asked for). */
export const LOOK_PROMPTS: Record<LookStyle, string> = {
  neutral: 'a quiet afternoon',
  watercolor: 'loose watercolour washes on paper',
  oil_painting: 'thick oil paint on canvas, like Van Gogh',
  pencil_sketch: 'a pencil drawing with hatching',
  charcoal: 'smudged charcoal on rough paper',
  ink_comic: 'an inked comic book with halftone dots',
  cartoon: 'a Saturday morning cartoon',
  pixel_art: 'a 16-bit video game',
  pop_art: 'Andy Warhol prints',
  noir: 'a 1940s detective movie',
  sepia: 'a faded photo from the 1890s',
  neon: 'Blade Runner',
  pastel: 'pale pastel colours, light and airy',
  dreamy: 'like a hazy dream',
  vhs: '90s camcorder footage',
};
