/** The benchmarks' output: progress lines on stderr, one table of figures on stdout. */

export interface Row {
  metric: string;
  value: string;
  goal: string;
  /** Whether the goal is met; undefined for figures without a goal. */
  met?: boolean | undefined;
}

/** A progress line on stderr, so stdout holds only the table. */
export function log(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

/** Print `rows` as aligned columns: metric, value, goal, and whether the goal is met. */
export function printTable(rows: readonly Row[]): void {
  const header: Row = { metric: 'metric', value: 'value', goal: 'goal' };
  const all = [header, ...rows];
  const width = (pick: (r: Row) => string): number => Math.max(...all.map((r) => pick(r).length));
  const [w0, w1, w2] = [width((r) => r.metric), width((r) => r.value), width((r) => r.goal)];
  for (const r of all) {
    const status = r === header ? 'ok' : r.met === undefined ? '' : r.met ? 'yes' : 'NO';
    console.log(`${r.metric.padEnd(w0)}  ${r.value.padEnd(w1)}  ${r.goal.padEnd(w2)}  ${status}`.trimEnd());
  }
}
