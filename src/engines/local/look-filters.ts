/**
 * A compiled look → an FFmpeg filtergraph fragment: the style's recipe, the palette's
 * grade, then the modifiers. Every parameter scales with the intensity (from
 * edit_strength and the modifiers), so a higher level moves further from the source.
 * Nothing here is random per frame: grain uses a fixed pattern (`noise` without the
 * `t` flag), so the output does not flicker more than the source.
 */
import { composeGraph, isMarks, num as n, type MarksStep, type Step } from './filter-graph.ts';
import { colourlessPaletteFilters, paletteFilters } from './palette-grades.ts';
import type { Look } from './prompt-to-look.ts';
import { shotToneSteps, type ToneAnalysis } from './shot-tone.ts';
import { dreamyColourless } from './recipes/paint.ts';
import { POP_ART_COLOURLESS } from './recipes/screen.ts';
import { toneWindow } from './tone-windows.ts';
import { atWorkSize, styleSteps, type RecipeContext } from './style-recipes.ts';
import type { LookPalette, LookStyle } from './vocabulary.ts';

/** The colours a family gives a black-and-white source before it runs (pop art's inks). */
const COLOURLESS_STYLE_COLOURS: Partial<Record<LookStyle, string>> = { pop_art: POP_ART_COLOURLESS };

/** Families whose softness is in their marks: the `soft` modifier does not blur them. */
const SOFT_IN_ITS_MARKS: ReadonlySet<LookStyle> = new Set<LookStyle>(['watercolor', 'pastel']);

/** Families that render without colour, whatever the palette. */
const MONOCHROME: ReadonlySet<LookStyle> = new Set<LookStyle>(['noir', 'pencil_sketch', 'charcoal']);

/** What a render needs of a look: the family, the palette and the modifiers. */
export type LookSpec = Pick<Look, 'style' | 'palette' | 'modifiers'>;

/** The steps of `look` at intensity `k` for an output of `ctx` size. */
export function lookSteps(look: LookSpec, k: number, ctx: RecipeContext): Step[] {
  const steps: Step[] = [...styleSteps(look.style, k, ctx), ...paletteFilters(look.palette, k)];
  const { modifiers } = look;
  const colourful = !isMonochrome(look);
  if (modifiers.includes('vivid') && colourful) steps.push(`eq=saturation=${n(1 + 0.3 * k)}`);
  if (modifiers.includes('bold')) steps.push(`eq=contrast=${n(1 + 0.15 * k)}${colourful ? `:saturation=${n(1 + 0.15 * k)}` : ''}`);
  if (modifiers.includes('high_contrast')) steps.push(`eq=contrast=${n(1 + 0.35 * k)}`);
  if (modifiers.includes('soft')) {
    // Watercolor and soft pastel are soft in their own marks (wet washes, the chalk's
    // blending): a blur over the finished picture would take away the paper, pigment
    // rims and strokes they are made of.
    if (!SOFT_IN_ITS_MARKS.has(look.style)) steps.push({ blend: 'normal', opacity: 0.3 + 0.3 * Math.min(k, 1), side: atWorkSize(ctx, (scale) => [`gblur=sigma=${n((1.5 + 2 * k) * scale)}`]) });
    steps.push(`eq=contrast=${n(1 - 0.1 * k)}`);
  }
  if (modifiers.includes('grainy')) steps.push('format=yuv444p', `noise=c0s=${Math.round(6 + 14 * k)}:c0f=u`);
  return steps;
}

/** A look's steps cut at its marks step (filter-graph.ts MarksStep), if it has one. */
export interface LookCut {
  before: Step[];
  marks?: MarksStep | undefined;
  after: Step[];
}

/** `steps` cut at their marks step; all of them `before` when there is none. */
export function cutAtMarks(steps: readonly Step[]): LookCut {
  const at = steps.findIndex(isMarks);
  if (at < 0) return { before: [...steps], after: [] };
  if (steps.slice(at + 1).some(isMarks)) throw new Error('A look has at most one marks step');
  return { before: steps.slice(0, at), marks: steps[at] as MarksStep, after: steps.slice(at + 1) };
}

/** The marks step of `look` at intensity `k`; undefined for a look made of filters only. */
export function lookMarks(look: LookSpec, k: number, ctx: RecipeContext): MarksStep | undefined {
  return cutAtMarks(lookSteps(look, k, ctx)).marks;
}

/**
 * Which steps a graph holds: `all` (a look with a marks step cannot be one graph),
 * the part `before` or `after` its marks step, or `unmarked`: every step but the marks
 * step, an approximation of the look for statistics that need no marks.
 */
export type LookPart = 'all' | 'before' | 'after' | 'unmarked';

/**
 * Filtergraph text that reads `[input]`, applies `look` at intensity `k` and writes
 * `[output]`; `prefix` keeps internal labels unique when several fragments share a graph.
 */
export function lookGraph(look: LookSpec, k: number, ctx: RecipeContext, labels: { input: string; output: string; prefix: string }, part: LookPart = 'all'): string {
  const steps = lookSteps(look, k, ctx);
  const cut = part === 'all' ? undefined : cutAtMarks(steps);
  const chosen = !cut ? steps : part === 'before' ? cut.before : part === 'after' ? cut.after : [...cut.before, ...cut.after];
  return composeGraph(chosen, labels.input, labels.output, labels.prefix);
}

/**
 * The palette a look shows: the one the prompt names, else the family's own colour
 * (pastel and neon are colours as much as techniques); none for colourless looks.
 */
export function shownPalette(look: LookSpec): LookPalette {
  if (isMonochrome(look)) return 'none';
  if (look.palette !== 'none') return look.palette;
  return look.style === 'pastel' || look.style === 'neon' ? look.style : 'none';
}

/** Whether `look` renders without colour (colour transfer then moves only the tone). */
export function isMonochrome(look: LookSpec): boolean {
  return MONOCHROME.has(look.style) || look.palette === 'monochrome';
}

/**
 * What the source's tone asks of `look` (shot-tone.ts): `before` maps each shot into
 * the look's tone window (time ranges from the output's start), `after` gives a
 * colourless source the palette's colour at intensity `k`. A neutral look (no style
 * asked for, or only a palette or grade) keeps the source's own tones: nothing in it
 * crushes a shot, and a user who asked for no look gets their exposure back.
 */
export function toneSteps(look: LookSpec, tone: ToneAnalysis, k: number, height: number): { before: string[]; after: string[] } {
  // A look whose colour is its point brings its own to a colourless source, unless the
  // user named a palette (which `after` then shows).
  const ownColour = tone.colourless && look.palette === 'none' ? COLOURLESS_STYLE_COLOURS[look.style] : undefined;
  return {
    before: [...(look.style === 'neutral' ? [] : shotToneSteps(tone, toneWindow(look.style), height)), ...(ownColour ? [ownColour] : [])],
    // Pastel's chalks bring their own colour to a colourless source (warm lights, cool
    // shadows, sticks of related hues); a palette the prompt names still shows.
    // Dreamy gives it its warm pastel tint (peach and rose lights, lavender shadows).
    after: !tone.colourless || (look.style === 'pastel' && look.palette === 'none') ? []
      : look.style === 'dreamy' && look.palette === 'none' ? [dreamyColourless(k)]
      : colourlessPaletteFilters(shownPalette(look), k),
  };
}
