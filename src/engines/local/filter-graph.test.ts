import { describe, expect, it } from 'vitest';
import { composeGraph } from './filter-graph.ts';

describe('composeGraph', () => {
  it('writes a plain chain between the labels', () => {
    expect(composeGraph(['eq=contrast=1.2', 'hue=s=0'], 'in', 'out', 'p')).toBe('[in]eq=contrast=1.2,hue=s=0[out]');
    expect(composeGraph([], 'in', 'out', 'p')).toBe('[in]null[out]');
  });

  it('blends a processed copy in RGB, with the copy on top only when asked', () => {
    const graph = composeGraph(['eq=saturation=2', { blend: 'screen', opacity: 0.5, side: ['gblur=sigma=8'] }], 'in', 'out', 'g');
    expect(graph).toBe(
      '[in]eq=saturation=2,format=gbrp,split[g0][g1];[g1]gblur=sigma=8,format=gbrp[g2];[g0][g2]blend=all_mode=screen:all_opacity=0.5[g3];[g3]null[out]',
    );
    expect(composeGraph([{ blend: 'dodge', sideOnTop: true, side: ['negate'] }], 'a', 'b', 'x')).toContain('[x2][x0]blend=all_mode=dodge');
  });

  it('runs a grey blend on one plane, without an RGB conversion', () => {
    const graph = composeGraph([{ blend: 'subtract', sideOnTop: true, format: 'gray', side: ['gblur=sigma=2'] }], 'in', 'out', 'g');
    expect(graph).toBe('[in]format=gray,split[g0][g1];[g1]gblur=sigma=2,format=gray[g2];[g2][g0]blend=all_mode=subtract:all_opacity=1[g3];[g3]null[out]');
  });

  it('keeps labels unique in nested blends', () => {
    const graph = composeGraph([{ blend: 'multiply', side: ['format=gray', { blend: 'subtract', sideOnTop: true, side: ['gblur=sigma=2'] }] }], 'i', 'o', 'n');
    const outputs = [...graph.matchAll(/\[(n\d+)\](?=;|$)/g)].map((m) => m[1]);
    expect(new Set(outputs).size).toBe(outputs.length);
  });
});
