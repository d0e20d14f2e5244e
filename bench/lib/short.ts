/**
 * The benchmarks' short mode (BENCH_SHORT=1): the same code on small sizes, done in
 * seconds to a minute, so CI runs every bench and a bench that no longer works fails
 * there (`test/bench-short.test.ts`). Figures from a short run say that the bench
 * works, not how fast retake is; the full run stays manual.
 */

export const SHORT = process.env.BENCH_SHORT === '1';

/** A numeric knob: the variable when set, else the short or the full default. */
export function knob(name: string, full: number, short: number): number {
  const raw = process.env[name];
  return raw === undefined || raw === '' ? (SHORT ? short : full) : Number(raw);
}

/** A text knob, the same way. */
export function textKnob(name: string, full: string, short: string): string {
  const raw = process.env[name];
  return raw === undefined || raw === '' ? (SHORT ? short : full) : raw;
}

/** A comma-separated list knob: the variable, else the short default (or none: everything). */
export function listKnob(name: string, short?: string): string[] | undefined {
  const raw = process.env[name] ?? (SHORT ? short : undefined);
  return raw?.split(',').map((s) => s.trim()).filter(Boolean);
}

/**
 * The part of guided mode's evaluation set a guided bench runs: GUIDED_SETS (default
 * own and broad), GUIDED_CLIPS and GUIDED_EFFECTS (default all of the chosen sets); in
 * short mode two own-set effects on the smallest clip.
 */
export function guidedChoice(): { sets: string[]; clips: string[] | undefined; effects: string[] | undefined } {
  return {
    sets: listKnob('GUIDED_SETS', 'own') ?? ['own', 'broad'],
    clips: listKnob('GUIDED_CLIPS', 'bbb_10s.webm'),
    effects: listKnob('GUIDED_EFFECTS', 'sepia,drawing'),
  };
}
