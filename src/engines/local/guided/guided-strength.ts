/**
 * edit_strength in guided mode. The image is the user's own statement of the look, so
 * the default level (flex_2, also used when the request names none) applies the full
 * learned mapping; the adhere levels and flex_1 blend toward the source, and the
 * levels above flex_2 extrapolate the learned change a little further. The effect
 * grows monotonically over the nine levels, as it does for prompt looks.
 */
import { EDIT_STRENGTHS, type EditStrength } from '../../../models/request.ts';
import { DEFAULT_EDIT_STRENGTH } from '../strength.ts';

/** 0.2 (adhere_1) … 1.0 (flex_2) … 1.4 (reimagine_3). */
export function guidedStrength(level: EditStrength | undefined): number {
  const index = EDIT_STRENGTHS.indexOf(level ?? DEFAULT_EDIT_STRENGTH);
  const full = EDIT_STRENGTHS.indexOf(DEFAULT_EDIT_STRENGTH);
  const value = index <= full ? 1 - 0.2 * (full - index) : 1 + 0.1 * (index - full);
  return Math.round(value * 100) / 100;
}
