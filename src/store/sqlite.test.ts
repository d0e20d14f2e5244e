/** The store contract on SQLite files, plus what only a file shows: restarts and two connections. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from './index.ts';
import { describeStoreContract, sampleGeneration, sampleKey } from './store.contract.ts';

const root = mkdtempSync(join(tmpdir(), 'retake-store-'));
let n = 0;
const freshDir = () => join(root, String(++n));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describeStoreContract('sqlite', () => openStore({ dataDir: freshDir() }));

describe('SQLite store file', () => {
  it('keeps every row across a restart', async () => {
    const dataDir = freshDir();
    const first = await openStore({ dataDir });
    expect(first.dialect).toBe('sqlite');
    const key = sampleKey();
    await first.keys.insert(key);
    const gen = await first.generations.insert(sampleGeneration({ key_id: key.id }));
    await first.generations.transition(gen.id, ['queued'], { status: 'processing', started_at: 5 });
    const event = await first.events.append({ key_id: key.id, generation_id: gen.id, type: 'media_generation_started', data: {} });
    await first.jobs.enqueue(gen.id, 0);
    await first.jobs.claim('w-dead', 1000, 100);
    await first.close();

    const second = await openStore({ dataDir });
    expect(await second.keys.find(key.id)).toEqual(key);
    expect(await second.generations.get(gen.id)).toMatchObject({ status: 'processing', started_at: 5 });
    expect(await second.events.listAfter(key.id, 0)).toEqual([event]);
    // The dead worker's lease runs out and the restarted worker picks the job up again.
    expect(await second.jobs.claim('w-new', 1200, 100)).toMatchObject({ generation_id: gen.id, claims: 2 });
    const next = await second.events.append({ key_id: key.id, generation_id: gen.id, type: 'media_generation_progress', data: {} });
    expect(next.id).toBeGreaterThan(event.id);
    await second.close();
  });

  it('hands distinct jobs to two connections on the same file', async () => {
    const dataDir = freshDir();
    // Opened one after the other: better-sqlite3 blocks its thread while it waits for
    // a lock, so two racing opens only make sense from two processes (see test/).
    const a = await openStore({ dataDir });
    const b = await openStore({ dataDir });
    for (let i = 0; i < 6; i++) await a.jobs.enqueue(`j${i}`, 0);
    const claims = await Promise.all([a, b, a, b, a, b, a, b].map((s, i) => s.jobs.claim(`w${i}`, 10, 1000)));
    const got = claims.filter((c) => c !== null).map((c) => c.generation_id);
    expect(new Set(got).size).toBe(6);
    expect(got).toHaveLength(6);
    await Promise.all([a.close(), b.close()]);
  });
});
