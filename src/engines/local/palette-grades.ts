/**
 * Palettes and colour words → a grade: colorbalance offsets for shadows, midtones and
 * highlights (a split tone), plus saturation and brightness. Named colours are derived
 * from the colour itself (its difference from its own grey), so "purple" or "gold"
 * need no hand-tuned numbers. Everything scales with the intensity `k`.
 */
import { num as n } from './filter-graph.ts';
import { NAMED_COLOURS, type LookPalette, type NamedColour } from './vocabulary.ts';

type Rgb = readonly [number, number, number];

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
};

/** A tint toward `colour`: its chroma (colour minus its luma) pushed into the tones. */
function tint(colour: Rgb): Grade {
  const luma = 0.2126 * colour[0] + 0.7152 * colour[1] + 0.0722 * colour[2];
  const chroma = colour.map((v) => v - luma) as unknown as Rgb;
  const times = (f: number): Rgb => [chroma[0] * f, chroma[1] * f, chroma[2] * f];
  return { shadows: times(0.25), midtones: times(0.35), highlights: times(0.2) };
}

/** The grade filters of `palette` at intensity `k`; none for `none`. */
export function paletteFilters(palette: LookPalette, k: number): string[] {
  if (palette === 'none') return [];
  const grade = palette in NAMED_COLOURS ? tint(NAMED_COLOURS[palette as NamedColour]) : GRADES[palette as keyof typeof GRADES];
  const names = ['rs', 'gs', 'bs', 'rm', 'gm', 'bm', 'rh', 'gh', 'bh'];
  const values = [...grade.shadows, ...grade.midtones, ...grade.highlights];
  const filters = ['colorbalance=' + names.map((name, i) => `${name}=${n(Math.max(-1, Math.min(1, (values[i] ?? 0) * k)))}`).join(':')];
  if (grade.saturation !== undefined || grade.brightness !== undefined) {
    filters.push(`eq=saturation=${n(Math.max(0, 1 + (grade.saturation ?? 0) * k))}:brightness=${n((grade.brightness ?? 0) * k)}`);
  }
  return filters;
}
