/**
 * Paired comparisons' answers as viewers write them: the answer lines are read whatever
 * their decoration, and the notes below them (which may name a pair and a side) are not.
 */
import { describe, expect, it } from 'vitest';
import { parsePairAnswers } from '../scripts/lib/panel-pairs.ts';

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
});
