/**
 * The exact-word pass over a prompt: every known phrase (vocabulary.ts) with its place
 * in the prompt, longest phrases first so "film noir" beats "film", and the words left
 * over that carry meaning but are not known. Nothing is decided here; choose-look.ts
 * weighs the hits.
 */
import { STOPWORDS, VOCABULARY, type VocabularyEntry } from '../vocabulary.ts';

export interface WordHit {
  /** The phrase as listed in the vocabulary (lower case). */
  phrase: string;
  /** Character offset in the prompt, for prompt order. */
  at: number;
  entry: VocabularyEntry;
}

export interface ReadWords {
  hits: WordHit[];
  /** Words that are neither known nor stopwords, in prompt order, once each. */
  unknown: string[];
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const PATTERNS = [...VOCABULARY.keys()]
  .sort((a, b) => b.length - a.length)
  .map((phrase) => ({
    phrase,
    entry: VOCABULARY.get(phrase) as VocabularyEntry,
    pattern: new RegExp(`(?<=[^a-z0-9&-])${escapeRegExp(phrase)}(?=[^a-z0-9&-])`, 'g'),
  }));

/** The prompt in the form phrases are matched against: lower case, plain quotes, padded. */
export function normalisePrompt(prompt: string): string {
  return ` ${prompt.toLowerCase().replace(/[’‘]/g, "'").replace(/[^a-z0-9&'\- ]+/g, ' ').replace(/\s+/g, ' ')} `;
}

/** Content words of `text`: numbers-only and one-letter tokens say nothing a look could use. */
export function contentWords(text: string): string[] {
  const words = text.match(/[a-z0-9][a-z0-9'&-]*[a-z0-9]|[a-z]/g) ?? [];
  return words.filter((w) => /[a-z]/.test(w) && w.length > 1 && !STOPWORDS.has(w.replace(/'s$/, '')) && !STOPWORDS.has(w));
}

/** Find the known phrases of `prompt` and the unknown words between them. */
export function readWords(prompt: string): ReadWords {
  let text = normalisePrompt(prompt);
  const hits: WordHit[] = [];
  for (const { phrase, entry, pattern } of PATTERNS) {
    text = text.replace(pattern, (match, at: number) => {
      hits.push({ phrase, at, entry });
      return ' '.repeat(match.length);
    });
  }
  hits.sort((a, b) => a.at - b.at);
  return { hits, unknown: [...new Set(contentWords(text))] };
}
