/**
 * The first look compiler: reads a free-text prompt and picks a style family, a colour
 * palette and modifiers from a fixed vocabulary. Deterministic and explainable: the
 * result lists the words it used and the ones it did not understand, and both are
 * stored on the generation so a user can see why the output looks the way it does.
 */

export type LookStyle = 'neutral' | 'noir' | 'sepia' | 'cartoon';
export type LookPalette = 'none' | 'warm' | 'cool' | 'golden_hour' | 'night' | 'teal_orange';
export type LookModifier = 'subtle' | 'vivid' | 'high_contrast' | 'grainy';

export interface Look {
  style: LookStyle;
  palette: LookPalette;
  modifiers: LookModifier[];
  /** Prompt words (or phrases) that chose the look, in prompt order. */
  used_words: string[];
  /** Words that carry meaning but are not in the vocabulary yet. */
  ignored_words: string[];
}

type Entry = { style: LookStyle } | { palette: LookPalette } | { modifier: LookModifier };

/** Phrases are matched before single words, longest first. */
const VOCABULARY: Record<string, Entry> = {
  'film noir': { style: 'noir' },
  noir: { style: 'noir' },
  'black and white': { style: 'noir' },
  'black & white': { style: 'noir' },
  'black-and-white': { style: 'noir' },
  'b&w': { style: 'noir' },
  monochrome: { style: 'noir' },
  grayscale: { style: 'noir' },
  greyscale: { style: 'noir' },
  sepia: { style: 'sepia' },
  vintage: { style: 'sepia' },
  'old film': { style: 'sepia' },
  retro: { style: 'sepia' },
  antique: { style: 'sepia' },
  cartoon: { style: 'cartoon' },
  'cel shaded': { style: 'cartoon' },
  'cel-shaded': { style: 'cartoon' },
  cel: { style: 'cartoon' },
  anime: { style: 'cartoon' },
  comic: { style: 'cartoon' },
  posterize: { style: 'cartoon' },
  posterized: { style: 'cartoon' },
  'pop art': { style: 'cartoon' },
  animated: { style: 'cartoon' },
  'golden hour': { palette: 'golden_hour' },
  sunset: { palette: 'golden_hour' },
  'teal and orange': { palette: 'teal_orange' },
  'orange and teal': { palette: 'teal_orange' },
  warm: { palette: 'warm' },
  warmer: { palette: 'warm' },
  summer: { palette: 'warm' },
  cozy: { palette: 'warm' },
  cool: { palette: 'cool' },
  cooler: { palette: 'cool' },
  cold: { palette: 'cool' },
  winter: { palette: 'cool' },
  icy: { palette: 'cool' },
  night: { palette: 'night' },
  moonlight: { palette: 'night' },
  midnight: { palette: 'night' },
  subtle: { modifier: 'subtle' },
  soft: { modifier: 'subtle' },
  gentle: { modifier: 'subtle' },
  slight: { modifier: 'subtle' },
  vivid: { modifier: 'vivid' },
  bold: { modifier: 'vivid' },
  vibrant: { modifier: 'vivid' },
  saturated: { modifier: 'vivid' },
  'high contrast': { modifier: 'high_contrast' },
  'high-contrast': { modifier: 'high_contrast' },
  contrasty: { modifier: 'high_contrast' },
  punchy: { modifier: 'high_contrast' },
  grainy: { modifier: 'grainy' },
  grain: { modifier: 'grainy' },
  gritty: { modifier: 'grainy' },
};

/** Words that carry no style meaning; neither used nor reported as ignored. */
const STOPWORDS = new Set(
  ('a an the and or but of to in on at by for with from into as is are be it its this that these those ' +
    'make makes made turn turned give gives look looks looking like style styled version video clip scene ' +
    'shot footage feel feeling mood vibe please very more less some all me my our your edit render ' +
    'effect filter tone tones color colors colour colours grade graded grading lighting light').split(' '),
);

const PHRASES = Object.keys(VOCABULARY).sort((a, b) => b.length - a.length);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Compile `prompt` into a look. The first style word wins (a later one is reported as
 * ignored, since two styles cannot both apply); likewise the first palette. Unknown
 * prompts give the neutral grade.
 */
export function promptToLook(prompt: string): Look {
  let text = ` ${prompt.toLowerCase().replace(/\s+/g, ' ')} `;
  const hits: { at: number; phrase: string; entry: Entry }[] = [];
  for (const phrase of PHRASES) {
    const pattern = new RegExp(`(?<=[^a-z0-9&-])${escapeRegExp(phrase)}(?=[^a-z0-9&-])`, 'g');
    text = text.replace(pattern, (match, at: number) => {
      hits.push({ at, phrase, entry: VOCABULARY[phrase] as Entry });
      return ' '.repeat(match.length);
    });
  }
  hits.sort((a, b) => a.at - b.at);

  const look: Look = { style: 'neutral', palette: 'none', modifiers: [], used_words: [], ignored_words: [] };
  for (const { phrase, entry } of hits) {
    if ('style' in entry) {
      if (look.style !== 'neutral') {
        look.ignored_words.push(phrase);
        continue;
      }
      look.style = entry.style;
      look.used_words.push(phrase);
    } else if ('palette' in entry) {
      if (look.palette !== 'none') {
        look.ignored_words.push(phrase);
        continue;
      }
      look.palette = entry.palette;
      look.used_words.push(phrase);
    } else {
      if (!look.modifiers.includes(entry.modifier)) look.modifiers.push(entry.modifier);
      look.used_words.push(phrase);
    }
  }
  // Numbers and single letters ("1940s", "a") say nothing a look could use.
  const rest = text.match(/[a-z][a-z'-]*[a-z]/g) ?? [];
  for (const word of rest) {
    if (!STOPWORDS.has(word) && !look.ignored_words.includes(word)) look.ignored_words.push(word);
  }
  return look;
}
