import { describe, expect, it } from 'vitest';
import { LOOK_STYLES, type LookStyle } from '../vocabulary.ts';
import { chooseLook, NEUTRAL_FLOOR, type Similarities } from './choose-look.ts';
import { readWords } from './read-words.ts';

/** Similarities of 0.3 to everything except the ones given. */
function near(values: Partial<Record<LookStyle, number>>): Similarities {
  return Object.fromEntries(LOOK_STYLES.map((s) => [s, values[s] ?? 0.3])) as Record<LookStyle, number>;
}

const look = (prompt: string, similarity?: Similarities) => chooseLook(prompt, readWords(prompt), similarity);

describe('chooseLook', () => {
  it('lets the meaning decide when no word names a family, and says so', () => {
    const result = look('a hardboiled private investigator in the rain', near({ noir: 0.7, sepia: 0.6 }));
    expect(result).toMatchObject({ style: 'noir', decided_by: 'words and meaning' });
    const byMeaning = look('rain on a window at night, smoke and fedoras', near({ noir: 0.7, sepia: 0.6 }));
    expect(byMeaning).toMatchObject({ style: 'noir', decided_by: 'meaning', runner_up: { style: 'sepia' } });
    // 0.1 apart is two nats: about 7:1 between the two, the rest far behind.
    expect(byMeaning.confidence).toBeGreaterThan(0.8);
    expect(byMeaning.runner_up?.confidence).toBeLessThan(0.15);
  });

  it('trusts an exact style word over a somewhat nearer meaning', () => {
    expect(look('charcoal', near({ charcoal: 0.6, noir: 0.7 })).style).toBe('charcoal');
  });

  it('gives neutral to a prompt near no family, with the nearest as runner-up', () => {
    const result = look('a cat on a sofa', near({ neutral: 0.35, watercolor: NEUTRAL_FLOOR - 0.05 }));
    expect(result).toMatchObject({ style: 'neutral', decided_by: 'nothing', runner_up: { style: 'watercolor' } });
  });

  it('is sure when words and meaning agree, less so when they do not', () => {
    const agree = look('watercolor', near({ watercolor: 0.8 }));
    const disagree = look('watercolor', near({ watercolor: 0.55, oil_painting: 0.7 }));
    expect(agree.confidence).toBeGreaterThan(disagree.confidence);
    expect(disagree.style).toBe('watercolor');
    expect(disagree.runner_up?.style).toBe('oil_painting');
  });
});
