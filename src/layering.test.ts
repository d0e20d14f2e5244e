/**
 * The layers import downward only: `api/`, `protocols/` and `cli/` use `jobs/`, which
 * uses `engines/`, `store/`, `blobs/`, `events/` and `net/`; the rules several layers
 * share live in the lowest one that needs them. The hub API and the protocols stand
 * side by side on the shared HTTP layer (`http/`) and never import each other; only
 * `app.ts` knows them all. Engines see the rest of retake only
 * through the engine seam (a job hands them what they need), and the Workbench's page
 * bundles nothing of the server. This reads every module's imports and fails on one
 * that runs the wrong way.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));

const UPPER = ['api/', 'protocols/', 'http/', 'cli/', 'workbench/', 'app.ts', 'retake.ts'];
/** Everything beneath the jobs: each gets what it needs handed in, not by import. */
const LOWER = ['engines/', 'store/', 'blobs/', 'events/', 'keys/', 'metrics/', 'net/', 'models/', 'media/'];

/** What each part must not import (paths relative to src/, a trailing / for a folder). */
const FORBIDDEN: { from: string; not: string[] }[] = [
  { from: 'jobs/', not: UPPER },
  { from: 'engines/', not: [...UPPER, 'jobs/', 'store/', 'blobs/', 'events/', 'keys/', 'metrics/'] },
  ...['store/', 'blobs/', 'net/', 'events/', 'keys/', 'models/', 'errors/'].map((from) => ({ from, not: [...UPPER, 'jobs/'] })),
  { from: 'net/', not: ['engines/', 'store/', 'blobs/'] },
  { from: 'models/', not: ['engines/', 'store/', 'blobs/', 'net/'] },
  // Side by side: what both need lives in http/ (an upload rule copied into a protocol
  // drifted from the API's before).
  { from: 'api/', not: ['protocols/'] },
  { from: 'protocols/', not: ['api/'] },
  { from: 'http/', not: ['api/', 'protocols/', 'cli/', 'workbench/', 'app.ts'] },
  // Rows hold what an engine reported as data; the store does not know engines.
  { from: 'store/', not: ['engines/', 'metrics/'] },
  // Metrics count what they are told (the jobs' observer seam, HTTP answers); they read nothing.
  { from: 'metrics/', not: [...UPPER, ...LOWER.filter((part) => part !== 'metrics/')] },
  { from: 'jobs/', not: ['metrics/'] },
  // What a media file is: the lowest rule of all, shared by uploads and engines.
  { from: 'media/', not: [...UPPER, 'jobs/', ...LOWER.filter((part) => part !== 'media/')] },
];

/** Test support may reach anywhere; only what ships is held to the layers. */
const isSupport = (path: string): boolean => /\.(test|contract)\.ts$/.test(path) || path === 'api/testing.ts';

interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'dist' || entry.name === 'node_modules' ? [] : sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const from = relative(SRC, file);
  const found: Import[] = [];
  const statement = /^\s*(import|export)\s+(type\s+)?(?:[^;'"]*?\sfrom\s+)?'(\.[^']+)'/gm;
  const dynamic = /\bimport\(\s*'(\.[^']+)'\s*\)/g;
  for (const m of text.matchAll(statement)) found.push({ from, to: m[3]!, typeOnly: Boolean(m[2]) });
  for (const m of text.matchAll(dynamic)) found.push({ from, to: m[1]!, typeOnly: false });
  return found.map((i) => ({ ...i, to: relative(SRC, resolve(dirname(file), i.to)) }));
}

const all = sources(SRC).flatMap(importsOf);
const shipped = all.filter((i) => !isSupport(i.from));
const within = (path: string, part: string): boolean => (part.endsWith('/') ? path.startsWith(part) : path === part);

describe('layering', () => {
  it('reads the imports of every module', () => {
    expect(shipped.length).toBeGreaterThan(300);
    expect(shipped.some((i) => i.from === 'jobs/runner.ts' && within(i.to, 'engines/'))).toBe(true);
  });

  it('has no import that runs upward', () => {
    const wrong = shipped
      .filter((i) => FORBIDDEN.some((rule) => within(i.from, rule.from) && rule.not.some((part) => within(i.to, part))))
      .map((i) => `${i.from} → ${i.to}`);
    expect(wrong).toEqual([]);
  });

  it("bundles nothing of the server into the Workbench's page (types aside)", () => {
    const wrong = all
      .filter((i) => within(i.from, 'workbench/client/') && !isSupport(i.from) && !i.typeOnly)
      .filter((i) => !within(i.to, 'workbench/client/') && i.to !== 'client/sse-frames.ts')
      .map((i) => `${i.from} → ${i.to}`);
    expect(wrong).toEqual([]);
  });
});
