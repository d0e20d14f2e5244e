/**
 * Several processes on one SQLite file, as `retake serve --role worker` run twice on
 * one machine would be: they open (and migrate) the file at the same moment, then
 * race to claim the same jobs. Every job must be claimed exactly once.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { migrationNames } from '../src/store/migrations.ts';

const root = mkdtempSync(join(tmpdir(), 'retake-store-procs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const PER_PROCESS = 8;
const PROCESSES = 3;

// Each child enqueues its own jobs, waits until every child has, then claims until
// nothing is left and prints what it got.
const child = `
const { openStore } = await import(${JSON.stringify(resolve('src/store/index.ts'))});
const [dataDir, me] = process.argv.slice(1);
const store = await openStore({ dataDir });
for (let i = 0; i < ${PER_PROCESS}; i++) await store.jobs.enqueue(me + '-' + i, i);
const deadline = Date.now() + 20000;
while (await store.jobs.count() < ${PER_PROCESS * PROCESSES} && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
const got = [];
for (let lease; (lease = await store.jobs.claim(me, 1000, 60000)); ) got.push(lease.generation_id);
await store.close();
console.log(JSON.stringify(got));
`;

function run(dataDir: string, name: string): Promise<string[]> {
  return new Promise((done, fail) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child, dataDir, name], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    proc.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    proc.stderr.on('data', (chunk: Buffer) => { err += chunk.toString(); });
    proc.on('error', fail);
    proc.on('close', (code) => {
      if (code !== 0) fail(new Error(`child ${name} exited ${code}: ${err}`));
      else done(JSON.parse(out.trim().split('\n').pop() ?? '[]') as string[]);
    });
  });
}

it('migrates once and claims every job exactly once across processes', async () => {
  const dataDir = join(root, 'shared');
  const results = await Promise.all(Array.from({ length: PROCESSES }, (_, i) => run(dataDir, `p${i}`)));
  const all = results.flat();
  expect(all).toHaveLength(PER_PROCESS * PROCESSES);
  expect(new Set(all).size).toBe(PER_PROCESS * PROCESSES);

  const db = new Database(join(dataDir, 'retake.db'), { readonly: true });
  const migrations = db.prepare('SELECT name FROM retake_migration').all();
  const claims = db.prepare('SELECT MAX(claims) AS max FROM jobs').get() as { max: number };
  db.close();
  expect(migrations).toEqual(migrationNames().map((name) => ({ name })));
  expect(claims.max).toBe(1);
});
