/**
 * Paired comparisons' answers as viewers write them: the answer lines are read whatever
 * their decoration, and the notes below them (which may name a pair and a side) are not.
 */
import { describe, expect, it } from 'vitest';
import { parsePairAnswers, parsePairRatings } from '../scripts/lib/panel-pairs.ts';

describe('a viewer\'s answers to paired comparisons', () => {
  it('reads each answer line and ignores the notes', () => {
    const text = [
      '01: A | faces: same',
      '`02: b | faces: NONE`',
      'pair 03: same | faces: B',
      '- 04: B | faces: A',
      '',
      'Reasons:',
      'Pair 01 - A keeps the strokes; B is smoother.',
      'note 02: B looked stamped',
    ].join('\n');
    expect(parsePairAnswers(text)).toEqual([
      { pair: 1, pick: 'A', faces: 'same' },
      { pair: 2, pick: 'B', faces: 'none' },
      { pair: 3, pick: 'same', faces: 'B' },
      { pair: 4, pick: 'B', faces: 'A' },
    ]);
  });

  it('reads each side\'s rating and ignores answer and note lines', () => {
    const text = [
      '01: A | faces: B',
      '01 rating: A=2 B=1',
      '01 note: A rated 2 for its strokes; B=0 would be harsh.',
      '`02 rating: A=0, B=2`',
      'pair 03 rating: a=1 b=1',
      '04 rating: A=3 B=1',
    ].join('\n');
    expect(parsePairRatings(text)).toEqual([
      { pair: 1, A: 2, B: 1 },
      { pair: 2, A: 0, B: 2 },
      { pair: 3, A: 1, B: 1 },
    ]);
  });
});
