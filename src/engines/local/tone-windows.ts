/**
 * The tone window of each look: the input luma range (0..1, full range) the look keeps
 * apart at the default intensity. Below `low` it crushes to black, above `high` it
 * blanks to paper white. Measured by `npm run bench:tone-windows` (flat grey levels
 * through each look as a render runs it, marks step included; re-run it and paste its
 * table here when a recipe or a marks kernel changes).
 */
import type { LookStyle } from './vocabulary.ts';

export interface ToneWindow {
  low: number;
  high: number;
}

const WINDOWS: Record<LookStyle, [number, number]> = {
  neutral: [0.13, 0.91],
  watercolor: [0.03, 0.72],
  oil_painting: [0.13, 0.91],
  pencil_sketch: [0.0, 0.94],
  charcoal: [0.03, 0.97],
  ink_comic: [0.06, 0.94],
  cartoon: [0.03, 0.94],
  pixel_art: [0.19, 0.84],
  pop_art: [0.28, 0.75],
  noir: [0.44, 0.81],
  sepia: [0.0, 0.88],
  neon: [0.31, 1.0],
  pastel: [0.06, 1.0],
  dreamy: [0.09, 0.78],
  vhs: [0.0, 1.0],
};

/** The window `style` needs its input in. */
export function toneWindow(style: LookStyle): ToneWindow {
  const [low, high] = WINDOWS[style];
  return { low, high };
}
