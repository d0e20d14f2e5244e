/**
 * Looks of old film. Noir: low-key black and white of hard light, deep shadows that keep
 * their detail, pools of light in a dark frame, lights that glow on the film, a heavy
 * vignette and grain, no colour at any strength. Sepia: a brown
 * monochrome of faded paper, vignette and grain.
 */
import { num as n, type Step } from '../filter-graph.ts';
import { atWorkSize, lutAll, type RecipeContext, unit } from './primitives.ts';

const staticGrain = (amount: number): string => `noise=c0s=${Math.max(1, Math.round(amount))}:c0f=u`;

/**
 * Pools of light: each pixel scaled by its surroundings' level (a blur of σ 40 at 540p)
 * over `level`, to the power `power`, within [`floor`, 1.1]: what lies in a dark part of
 * the frame sinks further, what the light falls on stays, so the frame reads as lit by a
 * few hard sources rather than evenly. Levels under `toe` are left as they are and the
 * scaling comes in over the next `ramp`, so the darks' own detail is not pressed to black
 * (scaled alike, 2.4 % of a dark shot went solid black, against 0.5 % before the pools).
 */
export const NOIR_POOLS = { sigma: 40, level: 170, power: 0.9, floor: 0.55, toe: 40, ramp: 100 };

export function noir(k: number, ctx: RecipeContext): Step[] {
  const c = Math.min(k, 1);
  // An odd size, 9 pixels at 540p: FFmpeg's unsharp refuses a square matrix over 13
  // ("matrix size too big"), so 1080p gets 13, not 17.
  const hardEdge = Math.min(13, 2 * Math.round(4 * unit(ctx)) + 1);
  return [
    'hue=s=0',
    // Low key: the middle tones sink toward the shadows, which keep a long toe of detail
    // (no level is flattened to black, so a dark face keeps its features); highlights
    // stay bright.
    `curves=all='0/0 0.08/0.055 0.25/${n(0.16 - 0.03 * c)} 0.5/${n(0.42 - 0.06 * c)} 0.8/0.84 1/1'`,
    // Pools of light, then hard light's crisp edges (local contrast a few pixels wide).
    {
      lut2: `x-(1-clip(pow(y/${NOIR_POOLS.level},${n(NOIR_POOLS.power)}),${n(NOIR_POOLS.floor)},1.1))*x*clip((x-${NOIR_POOLS.toe})/${NOIR_POOLS.ramp},0,1)`,
      side: atWorkSize(ctx, (sc) => [`gblur=sigma=${n(NOIR_POOLS.sigma * sc)}`]),
      format: 'gray',
    },
    `unsharp=lx=${hardEdge}:ly=${hardEdge}:la=0.7`,
    // Halation: the lights glow into the film around them.
    {
      blend: 'screen',
      opacity: 0.45 + 0.2 * c,
      side: atWorkSize(ctx, (sc) => [lutAll('clip((val-170)*3,0,255)'), `gblur=sigma=${n(9 * sc)}`]),
    },
    `vignette=a=${n(0.4 + 0.3 * c)}:dither=0`,
    // After the vignette, whose rounding would nudge neutral chroma off grey.
    'hue=s=0',
    'format=yuv444p',
    staticGrain(6 + 8 * k),
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
