/**
 * Looks of old film. Noir: hard contrast, crushed blacks, a heavy vignette, fine grain,
 * no colour at any strength. Sepia: a brown monochrome of faded paper, vignette and grain.
 */
import { num as n, type Step } from '../filter-graph.ts';

const staticGrain = (amount: number): string => `noise=c0s=${Math.max(1, Math.round(amount))}:c0f=u`;

export function noir(k: number): Step[] {
  const c = Math.min(k, 1);
  return [
    'hue=s=0',
    `eq=contrast=${n(1.35 + 0.5 * k)}:brightness=${n(-0.03 - 0.04 * k)}`,
    // Crushed blacks: the lower quarter falls to black; highlights kept bright.
    `curves=all='0/0 ${n(0.18 + 0.1 * c)}/0.02 0.6/0.62 1/1'`,
    `vignette=a=${n(0.55 + 0.4 * c)}:dither=0`,
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
