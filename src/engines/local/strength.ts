/**
 * edit_strength → how far a look moves away from the source. Nine levels, evenly
 * spaced, so the effect grows monotonically (adhere_1 barely touches the source,
 * reimagine_3 applies the look at full force). auto_controls picks one of the same
 * levels per segment (strength-schedule.ts).
 */
import { EDIT_STRENGTHS, type EditStrength } from '../../models/request.ts';
import type { LookModifier } from './prompt-to-look.ts';

/**
 * The level used when a request names none: flex_2, the middle of the nine, so a bare
 * prompt shows its look clearly without losing the source's structure.
 */
export const DEFAULT_EDIT_STRENGTH: EditStrength = 'flex_2';

/** 0.2 for adhere_1 up to 1.0 for reimagine_3, in steps of 0.1. */
export function strengthIntensity(level: EditStrength = DEFAULT_EDIT_STRENGTH): number {
  return Math.round((0.2 + 0.1 * EDIT_STRENGTHS.indexOf(level)) * 100) / 100;
}

/**
 * The intensity a look is rendered at: the level's intensity, scaled down by `subtle`
 * (×0.6) and `soft` (×0.85), up by `vivid` and `bold` (×1.3 each). Scaling (not
 * clamping at 1) keeps the order of the nine levels.
 */
export function lookIntensity(level: EditStrength | undefined, modifiers: readonly LookModifier[]): number {
  let k = strengthIntensity(level);
  if (modifiers.includes('subtle')) k *= 0.6;
  if (modifiers.includes('soft')) k *= 0.85;
  if (modifiers.includes('vivid')) k *= 1.3;
  if (modifiers.includes('bold')) k *= 1.3;
  return Math.round(k * 1000) / 1000;
}
