/**
 * Palettes and colour words → a grade: offsets for shadows, midtones and highlights (a
 * split tone), plus saturation and brightness. Named colours are derived from the
 * colour itself (its difference from its own grey), so "purple" or "gold" need no
 * hand-tuned numbers. Everything scales with the intensity `k`.
 *
 * The split tone is a per-channel lookup table (`lutrgb`), not FFmpeg's `colorbalance`:
 * the same tonal weights, but weighted by each channel's own level instead of the
 * pixel's lightness, which makes it 256 table entries per channel computed once rather
 * than float arithmetic per pixel (colorbalance alone cost more than encoding at 1080p).
 */
import { num as n } from './filter-graph.ts';
import { NAMED_COLOURS, type LookPalette, type NamedColour } from './vocabulary.ts';

export type Rgb = readonly [number, number, number];

interface Grade {
  shadows: Rgb;
  midtones: Rgb;
  highlights: Rgb;
  /** Added to saturation 1 (at k = 1). */
  saturation?: number;
  /** Added to brightness 0 (at k = 1). */
  brightness?: number;
}

const GRADES: Record<Exclude<LookPalette, 'none' | NamedColour>, Grade> = {
  warm: { shadows: [0.08, 0.02, -0.08], midtones: [0.1, 0.03, -0.1], highlights: [0.05, 0.02, -0.06] },
  cool: { shadows: [-0.08, 0, 0.1], midtones: [-0.1, 0, 0.1], highlights: [-0.05, 0, 0.06] },
  golden_hour: { shadows: [0.1, 0.04, -0.1], midtones: [0.14, 0.06, -0.14], highlights: [0.08, 0.05, -0.08], saturation: 0.2 },
  night: { shadows: [-0.06, -0.02, 0.12], midtones: [-0.1, -0.02, 0.12], highlights: [-0.04, 0, 0.06], saturation: -0.35, brightness: -0.1 },
  teal_orange: { shadows: [-0.12, 0.02, 0.1], midtones: [0.06, 0, -0.04], highlights: [0.1, 0.02, -0.1] },
  winter: { shadows: [-0.06, 0, 0.08], midtones: [-0.08, 0, 0.06], highlights: [-0.02, 0.01, 0.05], saturation: -0.3, brightness: 0.04 },
  summer: { shadows: [0.04, 0.02, -0.04], midtones: [0.08, 0.04, -0.08], highlights: [0.06, 0.05, -0.04], saturation: 0.3, brightness: 0.03 },
  // Palettes named by style words ("watercolor with pastel colors"): the family's colour
  // without its texture.
  pastel: { shadows: [0.12, 0.12, 0.15], midtones: [0.06, 0.05, 0.08], highlights: [0.03, 0.02, 0.04], saturation: -0.35, brightness: 0.06 },
  neon: { shadows: [0.12, -0.06, 0.2], midtones: [0.08, -0.04, 0.12], highlights: [-0.08, 0.06, 0.1], saturation: 0.5, brightness: -0.05 },
  sepia: { shadows: [0.06, 0.02, -0.06], midtones: [0.12, 0.04, -0.1], highlights: [0.06, 0.03, -0.06], saturation: -0.85 },
  monochrome: { shadows: [0, 0, 0], midtones: [0, 0, 0], highlights: [0, 0, 0], saturation: -1 },
};

/** A tint toward `colour`: its chroma (colour minus its luma) pushed into the tones. */
function tint(colour: Rgb): Grade {
  const luma = 0.2126 * colour[0] + 0.7152 * colour[1] + 0.0722 * colour[2];
  const chroma = colour.map((v) => v - luma) as unknown as Rgb;
  const times = (f: number): Rgb => [chroma[0] * f, chroma[1] * f, chroma[2] * f];
  return { shadows: times(0.25), midtones: times(0.35), highlights: times(0.2) };
}

/** Tonal weights of colorbalance: how much a level (0..1) counts as shadow, midtone, highlight. */
const SHADOW = 'clip((0.333-val/255)*4+0.5,0,1)';
const MIDTONE = 'clip((val/255-0.333)*4+0.5,0,1)*clip((0.667-val/255)*4+0.5,0,1)';
const HIGHLIGHT = 'clip((val/255-0.667)*4+0.5,0,1)';

/**
 * A split tone as one `lutrgb`: each channel moves by its shadow, midtone and highlight
 * offset (-1..1, as colorbalance's `rs`..`bh`), weighted by the channel's level. A
 * channel with no offset is left out (lutrgb passes it through).
 */
export function splitTone(tones: { shadows?: Rgb; midtones?: Rgb; highlights?: Rgb }): string {
  const zero: Rgb = [0, 0, 0];
  const { shadows = zero, midtones = zero, highlights = zero } = tones;
  const expression = (c: 0 | 1 | 2): string | undefined => {
    const weighted: [number, string][] = [[shadows[c], SHADOW], [midtones[c], MIDTONE], [highlights[c], HIGHLIGHT]];
    // colorbalance's scale: an offset of 1 moves a level by 0.7 of full range.
    const terms = weighted
      .map(([offset, weight]) => [Math.max(-1, Math.min(1, offset)) * 255 * 0.7, weight] as const)
      .filter(([amount]) => Math.abs(amount) >= 0.001)
      .map(([amount, weight]) => `${amount < 0 ? '-' : '+'}${n(Math.abs(amount))}*${weight}`);
    return terms.length > 0 ? `clip(val${terms.join('')},0,255)` : undefined;
  };
  const channels = (['r', 'g', 'b'] as const).flatMap((name, c) => {
    const e = expression(c as 0 | 1 | 2);
    return e === undefined ? [] : [`${name}='${e}'`];
  });
  return channels.length > 0 ? `lutrgb=${channels.join(':')}` : 'null';
}

const times = (rgb: Rgb, k: number): Rgb => [rgb[0] * k, rgb[1] * k, rgb[2] * k];

/** The grade filters of `palette` at intensity `k`; none for `none`. */
export function paletteFilters(palette: LookPalette, k: number): string[] {
  if (palette === 'none') return [];
  const grade = palette in NAMED_COLOURS ? tint(NAMED_COLOURS[palette as NamedColour]) : GRADES[palette as keyof typeof GRADES];
  const filters = [splitTone({ shadows: times(grade.shadows, k), midtones: times(grade.midtones, k), highlights: times(grade.highlights, k) })];
  if (grade.saturation !== undefined || grade.brightness !== undefined) {
    // Colour names (sepia, monochrome) mean the picture's own colour goes: it does at
    // every strength, and before the toning, which would otherwise be taken out too.
    const saturation = (grade.saturation ?? 0) <= -0.8 ? 1 + (grade.saturation ?? 0) : 1 + (grade.saturation ?? 0) * k;
    const eq = `eq=saturation=${n(Math.max(0, saturation))}:brightness=${n((grade.brightness ?? 0) * k)}`;
    if ((grade.saturation ?? 0) <= -0.8) filters.unshift(eq);
    else filters.push(eq);
  }
  return filters.filter((f) => f !== 'null');
}

/**
 * On a colourless source a palette must bring its own colour: most grades above only
 * shift the colour a picture already has. Pastel's own offsets are nearly grey, so it
 * has a gradient of its own (lavender shadows, pink midtones, cream highlights); the
 * others keep their hue, raised so each tone's chroma is at least COLOURLESS_CHROMA.
 */
const COLOURLESS_CHROMA = 0.2;
const COLOURLESS_GRADES: Partial<Record<LookPalette, Grade>> = {
  pastel: { shadows: [0.1, -0.08, 0.2], midtones: [0.2, -0.08, 0.05], highlights: [0.1, 0.07, -0.13] },
};

function raisedChroma(rgb: Rgb): Rgb {
  const mean = (rgb[0] + rgb[1] + rgb[2]) / 3;
  const chroma: Rgb = [rgb[0] - mean, rgb[1] - mean, rgb[2] - mean];
  const size = Math.max(...chroma.map(Math.abs));
  return size < 1e-6 ? [0, 0, 0] : times(chroma, Math.max(1, COLOURLESS_CHROMA / size));
}

/** The colour `palette` adds on a colourless source at intensity `k`; none for palettes without colour. */
export function colourlessPaletteFilters(palette: LookPalette, k: number): string[] {
  if (palette === 'none' || palette === 'monochrome' || palette === 'sepia') return [];
  const grade = COLOURLESS_GRADES[palette] ?? (palette in NAMED_COLOURS ? tint(NAMED_COLOURS[palette as NamedColour]) : GRADES[palette as keyof typeof GRADES]);
  const c = Math.min(1, Math.max(0.5, k));
  const tones = { shadows: times(raisedChroma(grade.shadows), c), midtones: times(raisedChroma(grade.midtones), c), highlights: times(raisedChroma(grade.highlights), c) };
  return [splitTone(tones)].filter((f) => f !== 'null');
}
