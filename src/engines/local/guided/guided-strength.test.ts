import { describe, expect, it } from 'vitest';
import { EDIT_STRENGTHS } from '../../../models/request.ts';
import { guidedStrength } from './guided-strength.ts';

describe('guidedStrength', () => {
  it('applies the full learned look by default and at flex_2', () => {
    expect(guidedStrength(undefined)).toBe(1);
    expect(guidedStrength('flex_2')).toBe(1);
  });
  it('grows strictly over the nine levels, from close to the source', () => {
    const values = EDIT_STRENGTHS.map((level) => guidedStrength(level));
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeGreaterThan(values[i - 1]!);
    expect(values[0]).toBeLessThanOrEqual(0.2);
  });
});
