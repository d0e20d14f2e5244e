/**
 * Weighs what was read in a prompt into one look. The style family is the most likely
 * of the fourteen (and neutral) given two kinds of evidence: the exact words that name
 * a family (read-words.ts) and, when the sentence model is available, how near the
 * whole prompt's meaning sits to each family's description (family-anchors.ts). Both
 * are added as log-odds and normalised with a softmax, so the result carries a
 * confidence and a runner-up. Palettes and modifiers come from exact words; a style
 * word that also names a palette ("pastel", "neon", "sepia", "black and white") colours
 * the winning family instead of being dropped.
 */
import { LOOK_STYLES, STYLE_PALETTES, STYLE_WORDS_WITHOUT_PALETTE, type LookModifier, type LookPalette, type LookStyle } from '../vocabulary.ts';
import type { ReadWords } from './read-words.ts';

/** What decided the style: exact words, the prompt's meaning, both, or nothing (neutral). */
export type Evidence = 'words' | 'meaning' | 'words and meaning' | 'nothing';

export interface Look {
  style: LookStyle;
  palette: LookPalette;
  modifiers: LookModifier[];
  /** Prompt words (or phrases) that chose the look, in prompt order. */
  used_words: string[];
  /** Words that carry meaning but did not decide the look, in prompt order. */
  ignored_words: string[];
  /** Probability of the chosen style, 0..1. */
  confidence: number;
  /** The next most likely style and its probability. */
  runner_up: { style: LookStyle; confidence: number } | null;
  decided_by: Evidence;
}

/** Per-style cosine similarity of the prompt to its anchors (neutral included). */
export type Similarities = Readonly<Record<LookStyle, number>>;

/** Log-odds one exact style word is worth. */
export const WORD_NATS = 4;
/**
 * A weak word ("animation", "painted") counts a quarter: one nat, enough to pick a
 * family when nothing else speaks, too little to outvote the prompt's meaning.
 */
export const WEAK_WORD_SHARE = 0.25;
/**
 * Softmax temperature over cosine similarities: 0.05 apart is one nat, so a prompt
 * 0.15 nearer one family than the next is about 20:1 for it.
 */
export const SIMILARITY_TEMPERATURE = 0.05;
/** Below this similarity to every family a prompt counts as asking for no look. */
export const NEUTRAL_FLOOR = 0.42;

const round2 = (v: number): number => Math.round(v * 100) / 100;

/** The look of `read`, using `similarity` when the sentence model gave one. */
export function chooseLook(prompt: string, read: ReadWords, similarity?: Similarities): Look {
  const wordWeight = new Map<LookStyle, number>();
  const firstAt = new Map<LookStyle, number>();
  for (const { entry, at } of read.hits) {
    if (!('style' in entry)) continue;
    wordWeight.set(entry.style, (wordWeight.get(entry.style) ?? 0) + (entry.weak ? WEAK_WORD_SHARE : 1));
    if (!firstAt.has(entry.style)) firstAt.set(entry.style, at);
  }
  const logits = LOOK_STYLES.map((style) => {
    if (style === 'neutral') {
      // With no model, neutral stands for "no word" and loses to even a weak style word.
      return similarity ? Math.max(similarity.neutral, NEUTRAL_FLOOR) / SIMILARITY_TEMPERATURE : WORD_NATS * WEAK_WORD_SHARE * 0.5;
    }
    // Between equally weighted words the earlier one wins ("sepia cartoon" is sepia).
    const order = firstAt.has(style) ? -1e-6 * (firstAt.get(style) ?? 0) : 0;
    return (wordWeight.get(style) ?? 0) * WORD_NATS + order + (similarity ? similarity[style] / SIMILARITY_TEMPERATURE : 0);
  });
  const top = Math.max(...logits);
  const odds = logits.map((l) => Math.exp(l - top));
  const total = odds.reduce((a, b) => a + b, 0);
  const ranked = LOOK_STYLES.map((style, i) => ({ style, p: (odds[i] ?? 0) / total })).sort((a, b) => b.p - a.p);
  const [first, second] = ranked as [{ style: LookStyle; p: number }, { style: LookStyle; p: number }];
  const style = first.style;

  const used: { at: number; word: string }[] = [];
  const ignored: { at: number; word: string }[] = [];
  const explicitPalette = read.hits.find((h) => 'palette' in h.entry);
  let palette: LookPalette = 'none';
  const modifiers: LookModifier[] = [];
  for (const { phrase, at, entry } of read.hits) {
    if ('modifier' in entry) {
      if (!modifiers.includes(entry.modifier)) modifiers.push(entry.modifier);
      used.push({ at, word: phrase });
    } else if ('palette' in entry) {
      if (palette === 'none') {
        palette = entry.palette;
        used.push({ at, word: phrase });
      } else ignored.push({ at, word: phrase });
    } else if (entry.style === style) {
      used.push({ at, word: phrase });
    } else {
      const asPalette = entry.weak || STYLE_WORDS_WITHOUT_PALETTE.has(phrase) ? undefined : STYLE_PALETTES[entry.style];
      if (asPalette && !explicitPalette && palette === 'none') {
        palette = asPalette;
        used.push({ at, word: phrase });
      } else ignored.push({ at, word: phrase });
    }
  }
  const text = prompt.toLowerCase();
  for (const word of read.unknown) ignored.push({ at: text.indexOf(word), word });
  const inOrder = (list: { at: number; word: string }[]): string[] => list.sort((a, b) => a.at - b.at).map((w) => w.word);

  const byWords = (wordWeight.get(style) ?? 0) > 0;
  const decided_by: Evidence = style === 'neutral' ? 'nothing' : byWords ? (similarity ? 'words and meaning' : 'words') : 'meaning';
  return {
    style, palette, modifiers,
    used_words: inOrder(used),
    ignored_words: inOrder(ignored),
    confidence: round2(first.p),
    runner_up: { style: second.style, confidence: round2(second.p) },
    decided_by,
  };
}
