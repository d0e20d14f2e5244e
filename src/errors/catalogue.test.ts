import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS } from './catalogue.ts';

const page = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

describe('error catalogue', () => {
  it('is documented in docs/errors.md, code by code, with the same status', () => {
    const documented = new Map(
      [...page.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1]!, Number(m[2])]),
    );
    for (const [code, entry] of Object.entries(ERRORS)) {
      expect(documented.get(code), `docs/errors.md row for ${code}`).toBe(entry.status);
    }
    expect([...documented.keys()].filter((c) => !(c in ERRORS)), 'documented codes missing from the catalogue').toEqual([]);
  });

  it('uses only HTTP error statuses', () => {
    for (const entry of Object.values(ERRORS)) expect(entry.status).toBeGreaterThanOrEqual(400);
  });
});
