/**
 * Looks of old film. Noir: hard low-key light that keeps the features inside its darks,
 * a vignette, fine grain, no colour at any strength. Sepia: a brown monochrome of
 * faded paper, vignette and grain.
 */
import { num as n, type Step } from '../filter-graph.ts';
import { atWorkSize, type RecipeContext } from './primitives.ts';

const staticGrain = (amount: number): string => `noise=c0s=${Math.max(1, Math.round(amount))}:c0f=u`;

/**
 * Noir's light, a local tone mapping: a steep S-curve on the picture's local tone (its
 * luma blurred at about 4 % of the frame height), times the picture's ratio to that tone
 * raised to a power above 1. Large areas fall to black or white as hard low-key light
 * does, while the features inside them keep, and gain, their contrast relative to the
 * area they lie in: a face in a dark shot turns dark with its eyes and mouth still drawn
 * rather than being crushed to one black patch (a ratio does not clip where a difference
 * would). Both inputs are 0..255: `x` the picture, `y` its local tone.
 */
export function noirLight(k: number): string {
  const c = Math.min(k, 1);
  const pivot = 0.5;
  const steep = 12 + 2 * c;
  const s = (v: string): string => `tanh((${v}-${n(pivot)})*${n(steep)})`;
  // The S-curve with a toe: a dark area's tone still orders its features.
  const curve = `(0.9*(${s('y/255')}-${s('0')})/(${s('1')}-${s('0')})+0.1*y/255)`;
  return `clip(255*${curve}*pow((x+4)/(y+4),${n(2.0 + 0.3 * k)}),0,255)`;
}

export function noir(k: number, ctx: RecipeContext): Step[] {
  const c = Math.min(k, 1);
  return [
    'hue=s=0',
    { lut2: noirLight(k), format: 'gray', side: atWorkSize(ctx, (sc) => [`gblur=sigma=${n(20 * sc)}`]) },
    `vignette=a=${n(0.5 + 0.25 * c)}:dither=0`,
    // After the vignette, whose rounding would nudge neutral chroma off grey.
    'hue=s=0',
    'format=yuv444p',
    staticGrain(3 + 6 * k),
  ];
}

export function sepia(k: number): Step[] {
  const c = Math.min(k, 1);
  // Mostly sepia at every level (otherwise it is not sepia); the strength finishes
  // the toning and drives the fade, vignette and grain.
  const m = Math.min(1, 0.7 + 0.3 * k);
  const mix = (toned: number, identity: number): string => n(m * toned + (1 - m) * identity);
  return [
    `colorchannelmixer=rr=${mix(0.393, 1)}:rg=${mix(0.769, 0)}:rb=${mix(0.189, 0)}` +
      `:gr=${mix(0.349, 0)}:gg=${mix(0.686, 1)}:gb=${mix(0.168, 0)}` +
      `:br=${mix(0.272, 0)}:bg=${mix(0.534, 0)}:bb=${mix(0.131, 1)}`,
    // Faded print: lifted blacks, dimmed whites.
    `curves=all='0/${n(0.1 + 0.08 * k)} 1/${n(0.95 - 0.08 * k)}'`,
    'format=yuv444p',
    `vignette=a=${n(0.25 + 0.35 * c)}`,
    staticGrain(4 + 8 * k),
  ];
}
