/**
 * Looks of old film. Noir: low-key black and white of hard light, deep shadows that keep
 * their detail, light through venetian blinds across the frame, lights that glow on the
 * film, a heavy vignette and grain, no colour at any strength. Sepia: a brown
 * monochrome of faded paper, vignette and grain.
 */
import { num as n, type Step, type Texture } from '../filter-graph.ts';
import { atWorkSize, lutAll, type RecipeContext, unit } from './primitives.ts';

const staticGrain = (amount: number): string => `noise=c0s=${Math.max(1, Math.round(amount))}:c0f=u`;

/** The blinds' slats at 540p: `period` pixels apart, `across` the direction (degrees) across them. */
export const NOIR_BLINDS = { period: 46, across: 114 };
/** Level (0..255) from which the blinds shade fully; darker things are shaded less, shadows not at all. */
const BLINDS_FULL_FROM = 110;

/**
 * The shadow of venetian blinds: soft slats of shade `period` pixels apart, tilted, as a
 * multiply map (255 in the light, `255·(1-depth)` in the slats' shade).
 */
function blindsShadow(ctx: RecipeContext, period: number, depth: number): Texture {
  const a = (NOIR_BLINDS.across * Math.PI) / 180;
  const across = `(X*${n(Math.cos(a))}+Y*${n(Math.sin(a))})`;
  // A triangle wave 0..1 across the slats, its upper part shade with soft edges.
  const tri = `abs(mod(${across},${n(period)})/${n(period)}*2-1)`;
  const shade = `clip((${tri}-0.45)*5,0,1)`;
  return { width: ctx.width, height: ctx.height, steps: [`geq=lum='255-${n(255 * depth)}*${shade}'`] };
}

export function noir(k: number, ctx: RecipeContext): Step[] {
  const c = Math.min(k, 1);
  const u = unit(ctx);
  return [
    'hue=s=0',
    // Low key: the middle tones sink toward the shadows, which keep a long toe of detail
    // (no level is flattened to black, so a dark face keeps its features); highlights
    // stay bright.
    `curves=all='0/0 0.08/0.055 0.25/${n(0.16 - 0.03 * c)} 0.5/${n(0.42 - 0.06 * c)} 0.8/0.84 1/1'`,
    // Hard light through blinds, across the whole set: the slats shade what the light
    // falls on; what is already in shadow stays as it is (x the picture, y the map).
    { lut2: `x-(255-y)*x/255*clip(x/${BLINDS_FULL_FROM},0,1)`, side: [], texture: blindsShadow(ctx, NOIR_BLINDS.period * u, 0.25 + 0.2 * c), format: 'gray' },
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
