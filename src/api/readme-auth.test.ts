/**
 * The README says which /api routes answer without a key; the routes' own
 * declarations (through the OpenAPI document) decide it. They must agree.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './testing.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

describe('README on keys', () => {
  it('names exactly the /api routes that answer without a key', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, Record<string, { security?: unknown[] }>> }>();
    const open = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).filter(([, op]) => op.security?.length === 0).map(([method]) => `${method.toUpperCase()} ${path}`),
    ).filter((route) => route.includes(' /api/'));
    expect(open.length).toBeGreaterThan(0);
    const sentence = /Every call takes `Authorization: Bearer \$RETAKE_KEY`, except ([^.]+)\./.exec(readme.replace(/\n/g, ' '))?.[1] ?? '';
    const named = [...sentence.matchAll(/`(?:GET )?(\/api\/[^`]+)`/g)].map((m) => m[1]!.replace(/:([a-z_]+)/g, '{$1}'));
    expect(open.map((route) => route.replace(/^GET /, '')).sort()).toEqual(named.sort());
    for (const route of open) {
      const url = route.replace(/^GET /, '').replace('{id}', 'retake-local');
      expect((await h.app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
    }
  });
});
