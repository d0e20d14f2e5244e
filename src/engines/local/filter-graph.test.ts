import { describe, expect, it } from 'vitest';
import { composeGraph, link } from './filter-graph.ts';

describe('link', () => {
  it('writes one chain with its input and output labels', () => {
    expect(link('0:v', ['fps=30', 'setsar=1'], 'pre')).toBe('[0:v]fps=30,setsar=1[pre]');
    expect(link(['first', 'rest'], 'concat=n=2:v=1:a=0', 'v')).toBe('[first][rest]concat=n=2:v=1:a=0[v]');
    expect(link('v', 'split', ['a', 'b'])).toBe('[v]split[a][b]');
  });

  it('passes the picture through when there is no filter, and may start from a source', () => {
    expect(link('graded', [], 'v')).toBe('[graded]null[v]');
    expect(link([], ['color=c=black:s=2x2', 'format=gray'], 'tex')).toBe('color=c=black:s=2x2,format=gray[tex]');
  });
});

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

  it('weights a copy by a mask made from the picture itself, frame by frame', () => {
    const graph = composeGraph([{ blend: 'normal', side: ['negate'], maskFrom: ['lutrgb=r=val'] }], 'in', 'out', 'm');
    expect(graph).toBe(
      '[in]format=gbrp,split=3[m0][m1][m4];[m1]negate,format=gbrp[m2];[m4]lutrgb=r=val,format=gray,format=gbrp[m5];' +
        '[m0][m2][m5]maskedmerge[m3];[m3]null[out]',
    );
  });

  it('keeps labels unique in nested blends', () => {
    const graph = composeGraph([{ blend: 'multiply', side: ['format=gray', { blend: 'subtract', sideOnTop: true, side: ['gblur=sigma=2'] }] }], 'i', 'o', 'n');
    const outputs = [...graph.matchAll(/\[(n\d+)\](?=;|$)/g)].map((m) => m[1]);
    expect(new Set(outputs).size).toBe(outputs.length);
  });
});

describe('composeGraph with textures and lookup tables', () => {
  it('makes a texture once from one grey frame and repeats it, the picture first', () => {
    const graph = composeGraph([{ blend: 'multiply', side: [], format: 'gray', texture: { width: 64, height: 36, steps: ['noise=c0s=20'] } }], 'in', 'out', 't');
    expect(graph).toBe(
      '[in]format=gray[t0];color=c=0x808080:s=64x36:r=1:d=1,format=gray[t1];[t1]noise=c0s=20,format=gray,format=gray,loop=loop=-1:size=1[t2];' +
        '[t0][t2]blend=all_mode=multiply:all_opacity=1:shortest=1[t3];[t3]null[out]',
    );
  });

  it('combines the picture with a copy through a two-input table, on every plane', () => {
    const graph = composeGraph([{ lut2: 'max(x,y)', side: ['gblur=sigma=3'] }], 'in', 'out', 'l');
    expect(graph).toContain("[l0][l2]lut2=c0='max(x,y)':c1='max(x,y)':c2='max(x,y)'[l3]");
  });
});
