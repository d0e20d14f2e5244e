/**
 * The store contract against a real PostgreSQL server: a fresh database per run
 * (`retake_test_<random>`), dropped afterwards. RETAKE_TEST_DATABASE_URL points at
 * another server (any database on it; the test creates its own beside it).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/index.ts';
import { describeStoreContract, sampleGeneration } from '../src/store/store.contract.ts';
import { migrationNames } from '../src/store/migrations.ts';
import type { Store } from '../src/store/types.ts';

const serverUrl = process.env.RETAKE_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const created: string[] = [];

async function admin<T>(fn: (client: pg.Client) => Promise<T>, database?: string): Promise<T> {
  const url = new URL(serverUrl);
  if (database) url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Create an empty database and return its URL. */
async function freshDatabase(): Promise<{ name: string; url: string }> {
  const name = `retake_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  created.push(name);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

afterAll(async () => {
  for (const name of created) await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
});

let contractDb: { name: string; url: string };
beforeAll(async () => { contractDb = await freshDatabase(); });

describeStoreContract('postgres', async () => {
  const store = await openStore({ dataDir: '', databaseUrl: contractDb.url });
  // One database for the whole run: empty it so each test starts from nothing.
  await admin((c) => c.query('TRUNCATE api_keys, generations, events, idempotency, jobs, webhook_outbox RESTART IDENTITY'), contractDb.name);
  return store;
});

describe('PostgreSQL store', () => {
  it('migrates once when several processes open a new database at the same time', async () => {
    const { url, name } = await freshDatabase();
    const stores = await Promise.all([1, 2, 3].map(() => openStore({ dataDir: '', databaseUrl: url })));
    const { rows } = await admin((c) => c.query<{ name: string }>('SELECT name FROM retake_migration'), name);
    expect(rows.map((r) => r.name)).toEqual(migrationNames());
    const row = await stores[0]!.generations.insert(sampleGeneration());
    expect(await stores[2]!.generations.get(row.id)).toEqual(row);
    await Promise.all(stores.map((s) => s.close()));
  });

  it('hands distinct jobs to workers on separate connection pools', async () => {
    const { url } = await freshDatabase();
    const stores: Store[] = await Promise.all([1, 2, 3].map(() => openStore({ dataDir: '', databaseUrl: url })));
    for (let i = 0; i < 30; i++) await stores[0]!.jobs.enqueue(`job${i}`, i);
    const leases = await Promise.all(
      Array.from({ length: 36 }, (_, i) => stores[i % 3]!.jobs.claim(`w${i}`, 1000, 60_000)),
    );
    const got = leases.filter((l) => l !== null).map((l) => l.generation_id);
    expect(got).toHaveLength(30);
    expect(new Set(got).size).toBe(30);
    await Promise.all(stores.map((s) => s.close()));
  });

  it('reports an unreachable server as service_unavailable without leaking the URL', async () => {
    const url = new URL(serverUrl);
    url.port = '1';
    url.password = 'hunter2';
    await expect(openStore({ dataDir: '', databaseUrl: url.toString() }))
      .rejects.toMatchObject({ code: 'service_unavailable', message: expect.not.stringContaining('hunter2') });
  });
});
