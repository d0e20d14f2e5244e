/**
 * What the viewers of paired comparisons (scripts/panel-pairs.ts) are asked, the key of a
 * set of pairs, and their answers, in the line format `<NN>: <A, B or same> | faces: <A,
 * B, same or none>`, with each side's rating as `<NN> rating: A=<0..2> B=<0..2>`.
 */
import { lookOf } from './panel-answers.ts';
import { PANEL_NAMES } from './panel-prompts.ts';

/** Per pair: the clip, the look, and the side the old rendering is on. */
export interface PairKey {
  clip: string;
  look: string;
  old: 'A' | 'B';
}

/** The name the panel's viewers know a look by (`pencil_sketch` → `pencil sketch`), or undefined for no look. */
export function panelName(look: string): string | undefined {
  return PANEL_NAMES.find((name) => lookOf(name) === look);
}

export function pairInstructions(looks: string[]): string {
  return [
    '# What to do',
    '',
    'Each `pair-NN.png` shows two renderings, A and B, of the same frame (`pair-NN-source.png`',
    'is the frame before any style). Both try to look like the medium named for that pair below.',
    'Answer one line per pair:',
    '',
    '`<NN>: <A, B or same> | faces: <A, B, same or none>`',
    '',
    '- first: which one reads more convincingly as that medium, as if a person had made it by',
    '  hand (say `same` only if you truly cannot choose);',
    '- faces: in which one the face (if any) is more readable, eyes, nose and mouth.',
    '',
    'Then one sentence per pair saying what decided it.',
    '',
    ...looks.map((look, i) => `- pair ${String(i + 1).padStart(2, '0')}: ${panelName(look)}`),
    '',
    'Also rate each side, one line per pair: `<NN> rating: A=<0, 1 or 2> B=<0, 1 or 2>` (how',
    'convincingly it reads as that medium made by hand: 0 not really, 1 somewhat, 2 clearly),',
    'and write the sentence as `<NN> note: ...`.',
    '',
  ].join('\n');
}

export interface PairAnswer {
  pair: number;
  pick: 'A' | 'B' | 'same';
  faces: 'A' | 'B' | 'same' | 'none';
}

/** The lines of a viewer's text that `pattern` matches, read without backticks and surrounding blanks. */
function linesMatching(text: string, pattern: RegExp): RegExpExecArray[] {
  return text.split('\n').flatMap((l) => {
    const m = pattern.exec(l.replace(/`/g, '').trim());
    return m ? [m] : [];
  });
}

/** Every answer line in a viewer's text; other lines are ignored. */
export function parsePairAnswers(text: string): PairAnswer[] {
  const side = (v: string) => (v.toLowerCase() === 'same' || v.toLowerCase() === 'none' ? v.toLowerCase() : v.toUpperCase());
  return linesMatching(text, /^\W*(?:pair\s*)?(\d+)\s*:\s*(A|B|same)\s*\|\s*faces:\s*(A|B|same|none)\b/i).map((m) => ({
    pair: Number(m[1]),
    pick: side(m[2]!) as PairAnswer['pick'],
    faces: side(m[3]!) as PairAnswer['faces'],
  }));
}

export interface PairRating {
  pair: number;
  A: number;
  B: number;
}

/**
 * Every rating line in a viewer's text: how convincingly each side reads as its medium,
 * 0 to 2. A preference says which side is better; the ratings say whether either is good
 * (two rounds on stills no change was made on preferred a pixel-art rework 29 to 19 while
 * rating it 49 to 46).
 */
export function parsePairRatings(text: string): PairRating[] {
  return linesMatching(text, /^\W*(?:pair\s*)?(\d+)\s*rating\s*:\s*A\s*=\s*([0-2])\s*,?\s*B\s*=\s*([0-2])\b/i).map((m) => ({
    pair: Number(m[1]),
    A: Number(m[2]),
    B: Number(m[3]),
  }));
}
