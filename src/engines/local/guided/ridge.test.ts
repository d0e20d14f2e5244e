import { describe, expect, it } from 'vitest';
import { addSample, normalEquations, solveRidge } from './ridge.ts';

describe('ridge regression', () => {
  it('recovers a linear map from samples', () => {
    const eq = normalEquations(3, 2);
    for (let i = 0; i < 200; i++) {
      const x = Math.sin(i), y = Math.cos(i * 1.7);
      addSample(eq, [1, x, y], [0.5 + 2 * x - y, -x + 3 * y]);
    }
    const w = solveRidge(eq, 1e-9);
    expect([...w].map((v) => Math.round(v * 1000) / 1000)).toEqual([0.5, 0, 2, -1, -1, 3]);
  });

  it('falls back to the prior where the data says nothing', () => {
    const eq = normalEquations(2, 1);
    for (let i = 0; i < 50; i++) addSample(eq, [1, 0], [2]);
    const w = solveRidge(eq, 1, Float64Array.from([0, 7]));
    expect(w[0]).toBeCloseTo(2, 1);
    expect(w[1]).toBeCloseTo(7, 6);
  });
});
