/**
 * The look compiler: reads a free-text prompt and picks a style family, a colour
 * palette and modifiers from a fixed vocabulary (see vocabulary.ts). Deterministic and
 * explainable: the result lists the words it used and the ones it did not understand,
 * and both are stored on the generation so a user can see why the output looks the way
 * it does.
 */
import { STOPWORDS, VOCABULARY, type LookModifier, type LookPalette, type LookStyle, type VocabularyEntry } from './vocabulary.ts';

export type { LookModifier, LookPalette, LookStyle } from './vocabulary.ts';

export interface Look {
  style: LookStyle;
  palette: LookPalette;
  modifiers: LookModifier[];
  /** Prompt words (or phrases) that chose the look, in prompt order. */
  used_words: string[];
  /** Words that carry meaning but are not in the vocabulary (or lost to an earlier word). */
  ignored_words: string[];
}

const PHRASES = [...VOCABULARY.keys()].sort((a, b) => b.length - a.length);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const PATTERNS = PHRASES.map((phrase) => ({
  phrase,
  entry: VOCABULARY.get(phrase) as VocabularyEntry,
  pattern: new RegExp(`(?<=[^a-z0-9&-])${escapeRegExp(phrase)}(?=[^a-z0-9&-])`, 'g'),
}));

/**
 * Compile `prompt` into a look. The first style word wins (a later one is reported as
 * ignored, since two styles cannot both apply); likewise the first palette. A prompt
 * with no known word gives the neutral grade; the caller warns about it.
 */
export function promptToLook(prompt: string): Look {
  let text = ` ${prompt.toLowerCase().replace(/[’‘]/g, "'").replace(/\s+/g, ' ')} `;
  const hits: { at: number; phrase: string; entry: VocabularyEntry }[] = [];
  for (const { phrase, entry, pattern } of PATTERNS) {
    text = text.replace(pattern, (match, at: number) => {
      hits.push({ at, phrase, entry });
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
    } else if ('palette' in entry) {
      if (look.palette !== 'none') {
        look.ignored_words.push(phrase);
        continue;
      }
      look.palette = entry.palette;
    } else if (!look.modifiers.includes(entry.modifier)) {
      look.modifiers.push(entry.modifier);
    }
    look.used_words.push(phrase);
  }
  // Numbers and single letters ("1940s", "a") say nothing a look could use.
  const rest = text.match(/[a-z][a-z'-]*[a-z]/g) ?? [];
  for (const word of rest) {
    if (!STOPWORDS.has(word) && !look.ignored_words.includes(word)) look.ignored_words.push(word);
  }
  return look;
}
