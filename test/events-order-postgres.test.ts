/**
 * Event ids on PostgreSQL become visible in id order: an SSE client that replays after
 * the newest id it has seen must never skip an older event that commits later. A
 * trigger holds one append open after its id is handed out (as a slow connection
 * would), and the test checks what a reader sees when a second append finishes.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { until } from './support/until.ts';
import { openStore } from '../src/store/index.ts';

const serverUrl = process.env.RETAKE_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const database = `retake_test_${randomBytes(6).toString('hex')}`;
/** The advisory lock the trigger waits on while the test holds it. */
const GATE = 4242;

function client(name?: string): pg.Client {
  const url = new URL(serverUrl);
  if (name) url.pathname = `/${name}`;
  return new pg.Client({ connectionString: url.toString() });
}

afterAll(async () => {
  const admin = client();
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
});

it('never makes a later event visible before an earlier one on PostgreSQL', async () => {
  const admin = client();
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  const store = await openStore({ dataDir: '', databaseUrl: url.toString() });

  const gate = client(database);
  await gate.connect();
  try {
    // Appends of generation "slow" wait for the gate after their row (and id) exist.
    await gate.query(`
      CREATE FUNCTION hold_slow_event() RETURNS trigger AS $$
      BEGIN
        IF NEW.generation_id = 'slow' THEN PERFORM pg_advisory_xact_lock_shared(${GATE}); END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql;
      CREATE TRIGGER hold_slow_event AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION hold_slow_event();
    `);
    await gate.query('SELECT pg_advisory_lock($1)', [GATE]);
    const event = (generationId: string) => ({
      key_id: 'k', generation_id: generationId, type: 'media_generation_progress', data: { generation_id: generationId },
    });

    const slow = store.events.append(event('slow'));
    await until(async () => {
      const { rows } = await gate.query("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND NOT granted", [GATE]);
      return rows.length > 0;
    });
    // What a replaying client sees the moment the second append has returned.
    const seenAfterFast = store.events.append(event('fast')).then(() => store.events.listAfter('k', 0));
    const first = await Promise.race([seenAfterFast, new Promise<null>((r) => setTimeout(() => r(null), 300))]);
    await gate.query('SELECT pg_advisory_unlock($1)', [GATE]);
    const seen = first ?? (await seenAfterFast);
    await slow;

    expect(seen.map((e) => e.generation_id)).toEqual(['slow', 'fast']);
    expect(seen[0]!.id).toBeLessThan(seen[1]!.id);
  } finally {
    await gate.end();
    await store.close();
  }
});
