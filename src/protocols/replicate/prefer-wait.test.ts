import { describe, expect, it } from 'vitest';
import { preferWaitSeconds } from './prefer-wait.ts';

describe('Prefer: wait', () => {
  it('waits 60 s for a bare wait, N s for wait=N (1..60), and not at all otherwise', () => {
    expect(preferWaitSeconds('wait')).toBe(60);
    expect(preferWaitSeconds('wait=5')).toBe(5);
    expect(preferWaitSeconds('respond-async, wait=600')).toBe(60);
    expect(preferWaitSeconds('wait=0')).toBe(1);
    expect(preferWaitSeconds(undefined)).toBeUndefined();
    expect(preferWaitSeconds('return=minimal')).toBeUndefined();
  });
});
