import { describe, expect, it } from 'vitest';
import { paletteFilters, splitTone } from './palette-grades.ts';
import { atWorkSize } from './style-recipes.ts';

describe('splitTone', () => {
  it('moves each channel by its offsets as one lookup table, leaving untouched channels out', () => {
    const lut = splitTone({ shadows: [0.1, 0, -0.1], highlights: [0.2, 0, 0] });
    expect(lut).toMatch(/^lutrgb=r='clip\(val\+17\.85\*clip\(\(0\.333-val\/255\).*\+35\.7\*clip\(\(val\/255-0\.667\)/);
    expect(lut).toContain("b='clip(val-17.85*");
    expect(lut).not.toContain('g=');
    expect(splitTone({})).toBe('null');
  });

  it('grades a palette without colorbalance, and scales the grade with the intensity', () => {
    const [weak] = paletteFilters('warm', 0.2);
    const [strong] = paletteFilters('warm', 1);
    expect(strong).not.toContain('colorbalance');
    const firstRed = (lut: string | undefined): number => Number(/r='clip\(val\+([\d.]+)/.exec(lut ?? '')?.[1]);
    expect(firstRed(strong)).toBeCloseTo(firstRed(weak) * 5, 1);
    expect(paletteFilters('none', 1)).toEqual([]);
  });
});

describe('atWorkSize', () => {
  const blur = (scale: number): string[] => [`gblur=sigma=${scale.toFixed(2)}`];

  it('smooths a 1080p frame at 540p with 540p radii and scales it back', () => {
    expect(atWorkSize({ width: 1920, height: 1080 }, blur)).toEqual(['scale=960:540:flags=area', 'gblur=sigma=1.00', 'scale=1920:1080:flags=bicubic']);
  });

  it('halves a 540p frame, shrinking the radii with it, and leaves small frames alone', () => {
    expect(atWorkSize({ width: 960, height: 540 }, blur)).toEqual(['scale=640:360:flags=area', 'gblur=sigma=0.67', 'scale=960:540:flags=bicubic']);
    expect(atWorkSize({ width: 640, height: 360 }, blur)).toEqual(['gblur=sigma=0.67']);
    expect(atWorkSize({ width: 1080, height: 1920 }, blur)[0]).toBe('scale=540:960:flags=area');
  });
});
