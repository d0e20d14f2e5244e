import { describe, expect, it } from 'vitest';
import { channelStats, transferFilter, transferMaps } from './colour-transfer.ts';

const frame = (pixels: [number, number, number][]): Buffer => Buffer.from(pixels.flat());

describe('colour transfer', () => {
  it('measures mean and spread per channel', () => {
    const stats = channelStats([frame([[0, 100, 50], [200, 100, 150]])], 3);
    expect(stats.mean).toEqual([100, 100, 100]);
    expect(stats.std).toEqual([100, 0, 50]);
  });

  it('maps the source mean and spread onto the target', () => {
    const source = { mean: [100, 100, 100], std: [20, 20, 20] };
    const target = { mean: [150, 120, 60], std: [40, 20, 10] };
    const maps = transferMaps(source, target);
    maps.forEach(([gain, offset], c) => expect(100 * gain + offset).toBeCloseTo(target.mean[c] ?? 0));
    expect(maps.map(([gain]) => gain)).toEqual([2, 1, 0.5]);
    expect(transferFilter(source, target)).toBe("lutrgb=r='clip(val*2+-50,0,255)':g='clip(val*1+20,0,255)':b='clip(val*0.5+10,0,255)'");
  });

  it('keeps the gain in bounds and moves only the tone when asked', () => {
    const flat = { mean: [128, 128, 128], std: [0.5, 0.5, 0.5] };
    const busy = { mean: [128, 128, 128], std: [90, 90, 90] };
    expect(transferMaps(busy, flat)[0]?.[0]).toBe(0.4);
    const toneOnly = transferMaps({ mean: [100, 100, 100], std: [20, 20, 20] }, { mean: [200, 100, 20], std: [20, 20, 20] }, { toneOnly: true });
    expect(new Set(toneOnly.map((m) => m.join())).size).toBe(1);
  });
});
