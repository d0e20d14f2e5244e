import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS } from './catalogue.ts';
import { REMEDIES } from './remedies.ts';
import { RetakeError } from './retake-error.ts';

const page = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

/** Rows of docs/errors.md's "What to do about an error" table: code → remedy. */
function documented(): Map<string, string> {
  const start = page.indexOf('\n## What to do about an error\n');
  expect(start, 'docs/errors.md section "What to do about an error"').toBeGreaterThan(0);
  const end = page.indexOf('\n## ', start + 1);
  const section = page.slice(start, end < 0 ? undefined : end);
  return new Map([...section.matchAll(/^\| `([a-z_]+)` \| (.+) \|$/gm)].map((m) => [m[1]!, m[2]!.replace(/\\\|/g, '|')]));
}

describe('error remedies', () => {
  it('are the docs/errors.md table, code by code, in both directions', () => {
    const rows = documented();
    expect(Object.fromEntries(rows)).toEqual(REMEDIES);
    for (const code of rows.keys()) expect(code in ERRORS, `${code} is a catalogue code`).toBe(true);
  });

  it('end the detail once, after what went wrong', () => {
    const err = new RetakeError('generation_not_found', 'No generation gen_1');
    expect(err.detail).toBe(`No generation gen_1. ${REMEDIES.generation_not_found}`);
    expect(new RetakeError('generation_not_found', err.detail).detail).toBe(err.detail);
    expect(new RetakeError('cancelled', 'Cancelled by the client').detail).toBe('Cancelled by the client');
  });
});
