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
  /**
   * How a look that needs its darks treats a shot that does not reach them:
   * - `window`: a look that reads by its contrast (noir) has every shot spread over its
   *   whole window, its shadows just above `low`, its lights at `high`;
   * - `shadows`: a washed-out shot (overexposed, its shadows high in the window) has its
   *   shadows brought down near `low`, so ink, sepia's browns or a night ground print
   *   dark again; other shots as without it.
   * Without it a shot that already fits is left as it is, and an overexposed one comes
   * out as a flat, pale picture (what the third blind panel saw on a bright clip).
   */
  fill?: 'window' | 'shadows';
  /**
   * Where a filled window puts the shot's lights (its 90th percentile of luma), as a share
   * of the window from `low`; 1 (at `high`) unless set. Below 1 the lights keep a margin
   * under white, and only the brightest tenth climbs into it.
   */
  lights?: number;
}

const WINDOWS: Record<LookStyle, [number, number]> = {
  neutral: [0.13, 0.91],
  watercolor: [0.09, 0.72],
  oil_painting: [0.13, 0.91],
  pencil_sketch: [0.0, 0.94],
  charcoal: [0.03, 0.97],
  ink_comic: [0.06, 0.94],
  cartoon: [0.03, 0.94],
  pixel_art: [0.19, 0.84],
  pop_art: [0.28, 0.75],
  // Set above the measured 0.13: noir's low-key curve sinks the middle, and a dark shot's
  // shadows placed lower go solid black (engine-tone test).
  noir: [0.2, 1.0],
  sepia: [0.0, 0.88],
  neon: [0.31, 1.0],
  pastel: [0.06, 1.0],
  dreamy: [0.09, 0.78],
  vhs: [0.0, 1.0],
};

/** Looks whose shots fill their window, or at least their shadows (see {@link ToneWindow.fill}). */
const FILLS: Partial<Record<LookStyle, NonNullable<ToneWindow['fill']>>> = {
  noir: 'window',
  sepia: 'shadows',
  ink_comic: 'shadows',
  cartoon: 'shadows',
  pop_art: 'shadows',
  pixel_art: 'shadows',
  neon: 'shadows',
  // A washed-out shot would be drawn in faint grey lines alone (the fourth panel).
  pencil_sketch: 'shadows',
  pastel: 'shadows',
  // An overexposed shot would read as a washed-out photo, its glow lost in the white.
  dreamy: 'shadows',
};

/**
 * Where a filled window puts the lights, where not at the top. Noir's at 0.88: it fills
 * its window, and a night shot's lit face, most of its lights, printed at the top as a
 * flat white mask (the twenty-first panel; docs/looks.md). Its window itself stays whole,
 * so a dark shot's middle and shadows sit where they did (the window's top at 0.88 took
 * the middle down with it, and 1.5 % of a dark shot went solid black).
 */
const LIGHTS: Partial<Record<LookStyle, number>> = { noir: 0.85 };

/** Where a filled `window` puts a shot's lights (luma 0..1): at its top unless it says otherwise. */
export function lightsLevel({ low, high, lights = 1 }: ToneWindow): number {
  return low + lights * (high - low);
}

/** The window `style` needs its input in. */
export function toneWindow(style: LookStyle): ToneWindow {
  const [low, high] = WINDOWS[style];
  const fill = FILLS[style], lights = LIGHTS[style];
  return { low, high, ...(fill ? { fill } : {}), ...(lights !== undefined ? { lights } : {}) };
}
