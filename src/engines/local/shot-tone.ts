/**
 * Per-shot tone: each shot of the source is measured (its luma distribution) and, when
 * the look would crush its shadows to black or blank its highlights to white, a tone
 * curve maps the shot into the look's window (tone-windows.ts) before the look runs.
 * The curve is fixed for the whole shot, so it adds no flicker; it changes at cuts.
 *
 * The curve: the shot's SHADOW and HIGHLIGHT percentiles are moved inside the window
 * (a shot already inside keeps them), its median toward the middle of the window by a
 * power curve between them, and the tails below and above are kept linear to black and
 * white, so nothing is clipped. In the darks (below DARK_END) the curve rises no faster
 * than MAX_SLOPE: a shot whose tenth darkest lies within a few codes of black would
 * otherwise have those codes stretched tens of times, and the encoder's faint blocks
 * and streaks in a black backdrop with them; there the curve rises at MAX_SLOPE until it
 * meets the planned one, and the deepest shadows stay dark. Even so a dark shot's codes
 * are stretched several times, and a code's noise, an encoder's blocks and the streaks
 * of a scaled frame (one code high, a line long) grow into bars that a look then
 * outlines; so where a curve rises STRETCHED times or more the frame is taken to 16 bits
 * first and smoothed where it is flat (DARK_SMOOTH), and the curve is applied at 16
 * bits: the stretch then draws the averaged levels between the codes, not the codes'
 * steps. A shot that fits its look gets no curve at all, unless
 * the look asks for its window filled (ToneWindow.fill): noir spreads every shot over
 * its whole window, and the looks that print in dark ink bring a washed-out shot's
 * shadows down.
 */
import { num as n } from './filter-graph.ts';
import { findCuts, lumaDiffs } from './strength-schedule.ts';
import { lightsLevel, type ToneWindow } from './tone-windows.ts';

/** Percentiles (0..1) taken as the shot's shadows and highlights: a tenth may stay crushed. */
export const SHADOW = 0.1;
export const HIGHLIGHT = 0.9;
/** The median is kept within this share of the window, from its middle outwards. */
const MEDIAN_BAND = [0.3, 0.7] as const;
/** A dark shot is stretched to fill at least this share of the window. */
const MIN_FILL = 0.6;
/** Where a filled window puts the shot's shadows, as a share of the window from `low` (its lights: lightsLevel). */
const FILL_SHADOW = 0.1;
/** A shot whose shadows lie above this share of the window counts as washed out. */
const WASHED_OUT = 0.3;
/** The steepest the curve may rise in the darks (output per input): a dark code's noise grows by at most this. */
export const MAX_SLOPE = 8;
/**
 * The smoothing before a curve that stretches the darks: FFmpeg's bilateral filter at 16
 * bits (a recursive one: its cost does not grow with `sigma`), `sigma` pixels at 540p,
 * `range` of the span (about 4 codes): a code or two of noise or streaks is averaged
 * away, an edge of a few codes (a dark wall's bricks, a face in the dark) is kept. At a
 * sigma of 4 a barred backdrop kept a third of its bars. On the chroma planes too: the
 * looks that raise saturation (pop art) drew the chroma's streaks as coloured bars.
 */
export const DARK_SMOOTH = { sigma: 12, range: 0.015 };
/** The slope in the darks (output per input) from which a curve's shot is smoothed first: a code's step would grow to six. */
export const STRETCHED = 6;
/**
 * The darks (luma 0..1) in which the curve's rise is capped wherever it falls: a plan
 * that leaves black gently and then climbs steeply from the shot's shadows (a look whose
 * window starts at black, on a night shot: 25 times) stretches the codes just above them.
 * A washed-out shot's climb to its lights lies far above.
 */
const DARK_END = 0.25;
/** Knots of the curve as it is applied: piecewise linear over this many equal steps of luma. */
const KNOTS = 64;

/** Shots shorter than this (s) join the one before. */
const MIN_SHOT = 0.5;
/** Mean chroma (0..1) under which the source counts as colourless. */
const COLOURLESS = 0.025;
const BINS = 64;

export interface ShotStats {
  /** Seconds from the start of the output. */
  start: number;
  end: number;
  shadow: number;
  median: number;
  highlight: number;
}

export interface ToneAnalysis {
  shots: ShotStats[];
  /** The source has (almost) no colour: a named palette has to bring its own. */
  colourless: boolean;
}

export interface ToneCurve {
  /** Input shadow, median, highlight → output. */
  from: [number, number, number];
  to: [number, number, number];
}

function histogram(frame: Uint8Array, channels: number): { bins: Float64Array; chroma: number } {
  const bins = new Float64Array(BINS);
  let chroma = 0;
  const count = frame.length / channels;
  for (let i = 0; i < frame.length; i += channels) {
    const r = frame[i]!, g = frame[i + 1] ?? r, b = frame[i + 2] ?? r;
    const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    bins[Math.min(BINS - 1, Math.floor((y / 256) * BINS))]! += 1 / count;
    chroma += (Math.max(r, g, b) - Math.min(r, g, b)) / 255 / count;
  }
  return { bins, chroma };
}

function percentile(bins: Float64Array, q: number): number {
  let sum = 0;
  for (let i = 0; i < BINS; i++) {
    sum += bins[i]!;
    if (sum >= q) return (i + 0.5) / BINS;
  }
  return 1;
}

/**
 * Shots and their tone from RGB frames (`channels` 3) or grey ones (1) sampled at `fps`
 * from the start of the output.
 */
export function analyseTone(frames: readonly Uint8Array[], channels: 1 | 3, fps: number): ToneAnalysis {
  const hists = frames.map((f) => histogram(f, channels));
  // Cuts by the rule auto_controls and keyframes use (strength-schedule.ts).
  const cuts = new Set(findCuts(lumaDiffs(frames, channels)).map((i) => i + 1));
  const shots: { start: number; end: number; bins: Float64Array }[] = [];
  hists.forEach((h, i) => {
    const t = i / fps;
    const last = shots.at(-1);
    if (!last || (cuts.has(i) && t - last.start >= MIN_SHOT)) shots.push({ start: t, end: t + 1 / fps, bins: Float64Array.from(h.bins) });
    else {
      for (let b = 0; b < BINS; b++) last.bins[b]! += h.bins[b]!;
      last.end = t + 1 / fps;
    }
  });
  const chroma = hists.reduce((s, h) => s + h.chroma, 0) / Math.max(1, hists.length);
  return {
    colourless: hists.length > 0 && chroma < COLOURLESS,
    shots: shots.map(({ start, end, bins }) => {
      const total = bins.reduce((s, v) => s + v, 0) || 1;
      const norm = bins.map((v) => v / total);
      return { start, end, shadow: percentile(norm, SHADOW), median: percentile(norm, 0.5), highlight: percentile(norm, HIGHLIGHT) };
    }),
  };
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** The curve that brings `shot` into `window`, or undefined when it already fits. */
export function toneCurve(shot: ShotStats, window: ToneWindow): ToneCurve | undefined {
  const { low, high } = window;
  const width = high - low;
  if (window.fill === 'window') return filledCurve(shot, window);
  // A washed-out shot under a look that needs its darks: its shadows brought down.
  const washedOut = window.fill === 'shadows' && shot.shadow > low + WASHED_OUT * width;
  const toShadow = washedOut ? low + FILL_SHADOW * width : clamp(shot.shadow, low, high);
  let toHighlight = clamp(shot.highlight, low, high);
  // A dark shot squeezed into the top of the window would lose its contrast: stretch it.
  if (toHighlight - toShadow < MIN_FILL * width && shot.highlight - shot.shadow < MIN_FILL * width) {
    toHighlight = Math.min(high, Math.max(toHighlight, toShadow + MIN_FILL * width));
  }
  const medianLow = low + MEDIAN_BAND[0] * width, medianHigh = low + MEDIAN_BAND[1] * width;
  const toMedian = clamp(clamp(shot.median, medianLow, medianHigh), toShadow + 0.02, toHighlight - 0.02);
  const moved = Math.abs(toShadow - shot.shadow) + Math.abs(toHighlight - shot.highlight) + Math.abs(toMedian - shot.median);
  if (moved < 0.03 || shot.highlight - shot.shadow < 0.02) return undefined;
  return { from: [shot.shadow, shot.median, shot.highlight], to: [toShadow, toMedian, toHighlight] };
}

/**
 * The curve of a look that fills its window: the shot's shadows a little above the
 * window's foot (so the darkest tenth keeps its gradation instead of turning solid
 * black), its lights at the top or where the window says (ToneWindow.lights), its
 * median in the window's middle band (whose top comes down with the lights).
 */
function filledCurve(shot: ShotStats, window: ToneWindow): ToneCurve | undefined {
  const { low, high } = window;
  const width = high - low;
  if (shot.highlight - shot.shadow < 0.02) return undefined;
  const toShadow = low + FILL_SHADOW * width, toHighlight = lightsLevel(window);
  // The band's top comes down with the lights (a bright shot's middle stays as far under
  // them), its foot stays (a dark shot's middle as high as in the whole window).
  const toMedian = clamp(shot.median, low + MEDIAN_BAND[0] * width, low + MEDIAN_BAND[1] * (toHighlight - low));
  return { from: [shot.shadow, shot.median, shot.highlight], to: [toShadow, clamp(toMedian, toShadow + 0.02, toHighlight - 0.02), toHighlight] };
}

/** The curve as planned (the three anchors, the power curve and the linear tails), before its slope is capped. */
function plannedCurve(curve: ToneCurve, y: number): number {
  const [s, , h] = curve.from;
  const [ts, , th] = curve.to;
  if (y <= s) return s > 0 ? (y * ts) / s : ts;
  if (y >= h) return h < 1 ? th + ((y - h) * (1 - th)) / (1 - h) : th;
  const g = gamma(curve);
  return ts + (th - ts) * ((y - s) / (h - s)) ** g;
}

/**
 * The curve at its knots: luma 0, 1/KNOTS … 1 and the shot's three anchors. From black
 * up it is the planned curve or a rise at MAX_SLOPE, whichever is lower, through the
 * darks (to DARK_END) and on until it meets the plan where that rises gently; from there
 * on it is the plan. `capped` when the curve was lower than the plan anywhere.
 */
function knots(curve: ToneCurve): { at: number[]; values: number[]; capped: boolean } {
  const grid = Array.from({ length: KNOTS + 1 }, (_, j) => j / KNOTS);
  const at = [...new Set([...grid, ...curve.from.filter((x) => x > 0 && x < 1)])].sort((a, b) => a - b);
  const values: number[] = [];
  // Only the rise through the darks is capped: once past them the capped curve has met
  // the planned one where that rises gently, the rest is the plan (a washed-out shot's
  // climb to its lights is not the dark end's stretch, and is left as planned).
  let capping = true, capped = false;
  at.forEach((x, i) => {
    const planned = plannedCurve(curve, x);
    if (i === 0 || !capping) {
      values.push(planned);
      return;
    }
    const dx = x - at[i - 1]!;
    const value = Math.min(planned, values[i - 1]! + MAX_SLOPE * dx);
    if (x >= DARK_END && value === planned && planned - values[i - 1]! <= MAX_SLOPE * dx) capping = false;
    if (value < planned) capped = true;
    values.push(value);
  });
  return { at, values, capped };
}

/** The curve as a function of input luma (0..1), as the filter applies it (for tests and the bench). */
export function applyCurve(curve: ToneCurve, y: number): number {
  const { at, values, capped } = knots(curve);
  if (!capped) return plannedCurve(curve, y);
  const x = clamp(y, 0, 1);
  const i = Math.max(1, at.findIndex((a) => a >= x));
  return values[i - 1]! + ((values[i]! - values[i - 1]!) * (x - at[i - 1]!)) / (at[i]! - at[i - 1]!);
}

function gamma(curve: ToneCurve): number {
  const [s, m, h] = curve.from;
  const [ts, tm, th] = curve.to;
  const u = clamp((m - s) / (h - s), 0.02, 0.98);
  const v = clamp((tm - ts) / (th - ts), 0.02, 0.98);
  return clamp(Math.log(v) / Math.log(u), 0.25, 4);
}

/**
 * The curve as a `lutyuv` on luma (limited range: codes 16..235 at 8 bits, 4096..60160
 * at 16): as planned when its rise in the darks needed no cap, else its knots joined by
 * straight lines, written as a sum of hinges (each knot adds its change of slope).
 */
function curveFilter(curve: ToneCurve, bits: 8 | 16 = 8): string {
  const { at, values, capped } = knots(curve);
  const [black, span] = bits === 8 ? [16, 219] : [16 * 256, 219 * 256];
  const y = `clip((val-${black})/${span},0,1)`;
  if (!capped) {
    const [s, , h] = curve.from;
    const [ts, , th] = curve.to;
    const mid = `${n(ts)}+${n(th - ts)}*pow(clip((${y}-${n(s)})/${n(h - s)},0,1),${n(gamma(curve))})`;
    const below = `${y}*${n(s > 0 ? ts / s : 0)}`;
    const above = `${n(th)}+(${y}-${n(h)})*${n(h < 1 ? (1 - th) / (1 - h) : 0)}`;
    return `lutyuv=y='${black}+${span}*if(lt(${y},${n(s)}),${below},if(gt(${y},${n(h)}),${above},${mid}))'`;
  }
  const slope = (i: number): number => (values[i + 1]! - values[i]!) / (at[i + 1]! - at[i]!);
  // Five decimals: 64 hinges rounded to three could drift the top by a few hundredths.
  const fine = (v: number): string => String(Math.round(v * 1e5) / 1e5);
  const terms = [`${fine(values[0]!)}+${fine(slope(0))}*${y}`];
  for (let i = 1; i < at.length - 1; i++) {
    const change = slope(i) - slope(i - 1);
    if (Math.abs(change) > 1e-4) terms.push(`${fine(change)}*max(0,${y}-${fine(at[i]!)})`);
  }
  return `lutyuv=y='${black}+${span}*clip(${terms.join('+').replace(/\+-/g, '-')},0,1)'`;
}

/**
 * The steps that map every shot into `window`, each on its own time range; none when all
 * fit. When any shot's curve rises STRETCHED times or more, the frames are taken to 16
 * bits, each such shot is smoothed (DARK_SMOOTH, `height` the frame's), every curve runs
 * at 16 bits and the frames come back to 8 bits (4:2:0, as the render writes them).
 */
export function shotToneSteps(analysis: ToneAnalysis, window: ToneWindow, height = 540): string[] {
  const { shots } = analysis;
  const curves = shots.map((shot) => toneCurve(shot, window));
  const deep = curves.map((c) => c !== undefined && steepest(c) >= STRETCHED);
  const any = deep.includes(true);
  const smooth = `bilateral=sigmaS=${n(DARK_SMOOTH.sigma * (height / 540))}:sigmaR=${n(DARK_SMOOTH.range)}:planes=7`;
  const steps: string[] = [];
  curves.forEach((curve, i) => {
    if (!curve) return;
    const range = timeRange(shots, i);
    const timed = (filter: string): string => (range ? `${filter}:enable='${range}'` : filter);
    if (deep[i]) steps.push(timed(smooth));
    steps.push(timed(curveFilter(curve, any ? 16 : 8)));
  });
  return any ? ['format=yuv420p16le', ...steps, 'format=yuv420p'] : steps;
}

/** The curve's steepest rise between its knots in the darks (output per input). */
export function steepest(curve: ToneCurve): number {
  const { at, values } = knots(curve);
  let most = 0;
  for (let i = 1; i < at.length && at[i - 1]! < DARK_END; i++) most = Math.max(most, (values[i]! - values[i - 1]!) / (at[i]! - at[i - 1]!));
  return most;
}

/** Shot `i`'s time range as an `enable` expression; '' for a single shot. */
function timeRange(shots: readonly ShotStats[], i: number): string {
  if (shots.length === 1) return '';
  const from = i === 0 ? '' : `gte(t,${n(shots[i]!.start)})`;
  const to = i === shots.length - 1 ? '' : `lt(t,${n(shots[i + 1]!.start)})`;
  return [from, to].filter(Boolean).join('*');
}
