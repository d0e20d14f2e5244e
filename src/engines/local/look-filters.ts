/**
 * A compiled look → FFmpeg video filters. Every parameter scales with the intensity
 * (0..~1.3, from edit_strength and the subtle/vivid modifiers), so a higher level moves
 * further from the source. Nothing here is random per frame: grain uses a fixed
 * pattern, so the output does not flicker more than the source.
 */
import type { Look, LookPalette } from './prompt-to-look.ts';

const n = (value: number): string => String(Math.round(value * 1000) / 1000);

function styleFilters(look: Look, k: number): string[] {
  switch (look.style) {
    case 'noir':
      // Black and white is the definition of the look: colour goes at every level; the
      // strength drives contrast and the vignette.
      return ['hue=s=0', `eq=contrast=${n(1 + 0.5 * k)}:brightness=${n(-0.04 * k)}`, `vignette=a=${n(0.1 + 0.4 * k)}`];
    case 'sepia': {
      const m = Math.min(1, 0.3 + 0.7 * k);
      const mix = (sepia: number, identity: number): string => n(m * sepia + (1 - m) * identity);
      return [
        `colorchannelmixer=rr=${mix(0.393, 1)}:rg=${mix(0.769, 0)}:rb=${mix(0.189, 0)}` +
          `:gr=${mix(0.349, 0)}:gg=${mix(0.686, 1)}:gb=${mix(0.168, 0)}` +
          `:br=${mix(0.272, 0)}:bg=${mix(0.534, 0)}:bb=${mix(0.131, 1)}`,
        `eq=contrast=${n(1 - 0.12 * k)}:brightness=${n(0.02 * k)}`,
        `vignette=a=${n(0.1 + 0.3 * k)}`,
      ];
    }
    case 'cartoon': {
      // Edge-preserving smoothing flattens regions; luminance quantisation gives cel bands.
      const levels = Math.max(4, Math.round(20 - 14 * Math.min(k, 1)));
      const step = n(256 / levels);
      return [
        `bilateral=sigmaS=${n(2 + 6 * k)}:sigmaR=${n(0.06 + 0.12 * k)}`,
        `lutyuv=y='clip(floor(val/${step})*${step}+${step}/2,16,235)'`,
        `eq=saturation=${n(1 + 0.7 * k)}:contrast=${n(1 + 0.1 * k)}`,
      ];
    }
    case 'neutral':
      return [`eq=contrast=${n(1 + 0.15 * k)}:saturation=${n(1 + 0.25 * k)}`];
  }
}

/** colorbalance for shadows/midtones/highlights (each r, g, b in -1..1). */
function balance(k: number, s: [number, number, number], m: [number, number, number], h: [number, number, number]): string {
  const parts = ['rs', 'gs', 'bs', 'rm', 'gm', 'bm', 'rh', 'gh', 'bh'];
  const values = [...s, ...m, ...h];
  return 'colorbalance=' + parts.map((p, i) => `${p}=${n((values[i] ?? 0) * k)}`).join(':');
}

function paletteFilters(palette: LookPalette, k: number): string[] {
  switch (palette) {
    case 'none':
      return [];
    case 'warm':
      return [balance(k, [0.08, 0.02, -0.08], [0.1, 0.03, -0.1], [0.05, 0.02, -0.06])];
    case 'cool':
      return [balance(k, [-0.08, 0, 0.1], [-0.1, 0, 0.1], [-0.05, 0, 0.06])];
    case 'golden_hour':
      return [balance(k, [0.1, 0.04, -0.1], [0.14, 0.06, -0.14], [0.08, 0.05, -0.08]), `eq=saturation=${n(1 + 0.2 * k)}`];
    case 'night':
      return [balance(k, [-0.06, -0.02, 0.12], [-0.1, -0.02, 0.12], [-0.04, 0, 0.06]), `eq=brightness=${n(-0.1 * k)}:saturation=${n(1 - 0.35 * k)}`];
    case 'teal_orange':
      return [balance(k, [-0.12, 0.02, 0.1], [0.06, 0, -0.04], [0.1, 0.02, -0.1])];
  }
}

/** The filters of `look` at intensity `k` (without scaling or format conversion). */
export function lookFilters(look: Look, k: number): string[] {
  const filters = [...styleFilters(look, k), ...paletteFilters(look.palette, k)];
  if (look.modifiers.includes('vivid') && look.style !== 'noir') filters.push(`eq=saturation=${n(1 + 0.3 * k)}`);
  if (look.modifiers.includes('high_contrast')) filters.push(`eq=contrast=${n(1 + 0.35 * k)}`);
  // Without the `t` flag the noise pattern is fixed, so grain adds texture, not flicker.
  if (look.modifiers.includes('grainy')) filters.push(`noise=alls=${Math.round(6 + 14 * k)}:allf=u`);
  return filters;
}
