/**
 * How the CLI talks to people: exit codes, error lines and plain-text tables. Every
 * command reports failures through `exitCodeFor` so the codes stay the same everywhere:
 * 0 ok, 1 the operation failed, 2 the command line was wrong.
 */
import { RetakeError, type FieldProblem } from '../errors/index.ts';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A mistake on the command line (unknown value, missing file, invalid combination): exit 2. */
export class UsageError extends Error {
  readonly problems: FieldProblem[];

  constructor(message: string, problems: FieldProblem[] = []) {
    super(message);
    this.name = 'UsageError';
    this.problems = problems;
  }
}

/** Print `err` to stderr in the CLI's format and return the exit code it stands for. */
export function reportError(err: unknown, write: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): number {
  if (err instanceof UsageError) {
    write(`retake: ${err.message}`);
    for (const p of err.problems) write(`  - ${p.field || 'request'}: ${p.message}`);
    return EXIT_USAGE;
  }
  if (err instanceof RetakeError) {
    write(`retake: error ${err.code}: ${err.message}`);
    for (const p of err.fields ?? []) write(`  - ${p.field || 'request'}: ${p.message}`);
    return EXIT_FAILURE;
  }
  const message = err instanceof Error ? err.message : String(err);
  write(`retake: error internal_error: ${message}`);
  return EXIT_FAILURE;
}

/** Left-aligned columns with a header row, two spaces apart. */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** `2025-01-31 14:05` in local time, or `-` for null. */
export function formatTime(ms: number | null): string {
  if (ms === null) return '-';
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** `$0.72`, or `free` for zero. */
export function formatUsd(usd: number): string {
  return usd === 0 ? 'free' : `$${usd.toFixed(2)}`;
}

/** `1.2 MB` style sizes for file summaries. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
