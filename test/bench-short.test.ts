/**
 * Every benchmark in its short mode (BENCH_SHORT=1: small sizes, one run), as `npm run
 * bench...` starts it: it must finish and print its table, so a bench that stops
 * working fails here rather than on the day someone needs its figures. Goals are not
 * asserted (a short run on a busy machine says nothing about speed); what is asserted
 * is that every part of the bench ran and reported. The cluster bench needs root and
 * network namespaces, and is skipped, saying why, without them.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { netnsAvailable } from './support/cluster/netns.ts';
import { scaled } from './support/deadline.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MINUTES = 60_000;

/** Run bench/<name>.ts in short mode from the repository root; its stdout (the table). */
async function bench(name: string, env: Record<string, string> = {}): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['bin/run-ts.js', `bench/${name}.ts`], {
      cwd: ROOT, env: { ...process.env, ...env, BENCH_SHORT: '1' }, timeout: scaled(15 * MINUTES), maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`bench/${name}.ts failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

/** The rows of a printed table (bench/lib/report.ts): metric column → the rest of the line. */
function table(stdout: string): string[] {
  const lines = stdout.split('\n');
  const header = lines.findIndex((line) => /^metric\s+value\s+goal\s+ok$/.test(line));
  expect(header, `a table in:\n${stdout}`).toBeGreaterThanOrEqual(0);
  return lines.slice(header + 1).filter((line) => line.trim() !== '');
}

describe('npm run bench (API), short', () => {
  it('measures lookups, submits, SSE fan-out beside its bare floor, memory and a real media upload', async () => {
    const rows = table(await bench('api'));
    for (const metric of ['server RSS idle', 'lookups / baseline', 'POST /api/ai/queue p50 / p99', 'floor: bare node:net fan-out', 'SSE delivery p50 / p99', 'SSE p99 / the floor', 'server CPU per event', 'server RSS with 50 subscribers', 'RSS growth, 16.0 MB upload', 'load average']) {
      expect(rows.some((row) => row.startsWith(metric)), metric).toBe(true);
    }
    expect(rows.find((row) => row.startsWith('SSE deliveries missed'))).toMatch(/^SSE deliveries missed\s+0\s/);
  }, scaled(15 * MINUTES));
});

describe('npm run bench:engine, short', () => {
  it('times the looks and guided mode against a transcode and through a server', async () => {
    const rows = table(await bench('engine'));
    for (const metric of ['540p plain transcode', '540p cheap', '540p expensive', '540p guided (input_image) / transcode', 'sync request', 'peak RSS server + FFmpeg', 'guided sync request', 'peak RSS server + children, guided']) {
      expect(rows.some((row) => row.startsWith(metric)), metric).toBe(true);
    }
    expect(rows.find((row) => row.startsWith('server rows stopped'))).toBeUndefined();
  }, scaled(15 * MINUTES));
});

describe('the guided benches, short', () => {
  let cache: string;
  beforeAll(async () => {
    cache = await mkdtemp(join(tmpdir(), 'retake-bench-guided-'));
  });
  afterAll(async () => {
    await rm(cache, { recursive: true, force: true });
  });

  it('guided-quality, then guided-alignment and guided-variants on its cache, print a row per pair', async () => {
    const quality = await bench('guided-quality', { GUIDED_CACHE: cache });
    expect(quality).toMatch(/^\| own \| bbb_10s\.webm \| sepia \|/m);
    expect(quality).toMatch(/^\| own \| bbb_10s\.webm \| drawing \|/m);
    const alignment = await bench('guided-alignment', { GUIDED_CACHE: cache });
    expect(alignment).toMatch(/^\| restyle \| bbb_10s\.webm \| sepia \| \d\.\d\d \|/m);
    expect(alignment).toMatch(/^\| another photo \| bbb_10s\.webm \| london\.jpg \| \d\.\d\d \|/m);
    const variants = await bench('guided-variants', { GUIDED_CACHE: cache });
    expect(variants).toMatch(/^\| own \| bbb_10s\.webm \| drawing \| \d\.\d{3} \/ \d+\.\d\d \|/m);
    expect(variants).toMatch(/^\| \*\*mean\*\* \| \| \| \d\.\d{3} \/ \d+\.\d\d/m);
  }, scaled(20 * MINUTES));
});

const unavailable = await netnsAvailable();
if (unavailable) console.warn(`bench:cluster short run skipped: ${unavailable}`);

describe.skipIf(unavailable !== undefined)('npm run bench:cluster, short', () => {
  it('measures jobs per minute on 1 and 2 worker hosts and lookups through 1 and 2 API hosts', async () => {
    const rows = table(await bench('cluster'));
    for (const metric of ['jobs/min, 1 worker host', 'jobs/min, 2 worker hosts', '2 hosts / 1 host', 'GET /api/ai/queue/:id, 1 API host', 'GET /api/ai/queue/:id, 2 API hosts']) {
      expect(rows.some((row) => row.startsWith(metric)), metric).toBe(true);
    }
  }, scaled(15 * MINUTES));
});
