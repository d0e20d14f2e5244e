import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS } from './catalogue.ts';
import { REMEDIES } from './remedies.ts';
import { RetakeError } from './retake-error.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** Rows of the README's "What to do about an error" table: code → remedy. */
function documented(): Map<string, string> {
  const start = readme.indexOf('#### What to do about an error');
  expect(start, 'README section "What to do about an error"').toBeGreaterThan(0);
  const section = readme.slice(start, readme.indexOf('\n## ', start));
  return new Map([...section.matchAll(/^\| `([a-z_]+)` \| (.+) \|$/gm)].map((m) => [m[1]!, m[2]!.replace(/\\\|/g, '|')]));
}

describe('error remedies', () => {
  it('are the README table, code by code, in both directions', () => {
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
