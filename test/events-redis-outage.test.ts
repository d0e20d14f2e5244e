/**
 * The Redis event bus across a Redis restart (a redis-server of its own on loopback):
 * events published while Redis is down are stored but cannot cross to other nodes; when
 * the other node's subscription comes back it reads them from the store, and each
 * reaches its subscribers exactly once, in order, before and after the outage.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../src/cli/free-port.ts';
import { createRedisEventBus } from '../src/events/redis-bus.ts';
import type { EventBus } from '../src/events/types.ts';
import { until } from './support/until.ts';
import { openStore, type Store, type StoredEvent } from '../src/store/index.ts';
import { scaled } from './support/deadline.ts';

let dir: string;
let port: number;
let redis: ChildProcess | undefined;
let store: Store;
const buses: EventBus[] = [];

async function startRedis(): Promise<void> {
  redis = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await until(async () => {
    const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      return (await probe.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      probe.disconnect();
    }
  }, scaled(10_000));
}

async function stopRedis(): Promise<void> {
  const r = redis!;
  const exited = new Promise((resolve) => r.once('exit', resolve));
  r.kill('SIGTERM');
  await exited;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'retake-events-outage-'));
  port = await freePort('127.0.0.1');
  await startRedis();
  store = await openStore({ dataDir: dir });
});

afterAll(async () => {
  for (const bus of buses) await bus.close().catch(() => undefined);
  if (redis?.exitCode === null) await stopRedis();
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

const event = (n: number) => ({
  key_id: 'key-outage', generation_id: `gen-${n}`, type: 'media_generation_completed' as const,
  data: { generation_id: `gen-${n}`, status: 'succeeded' },
});

it('delivers events published during a Redis outage to the other node once it is back, each once', async () => {
  const url = `redis://127.0.0.1:${port}`;
  const nodeA = await createRedisEventBus(store, url, { catchUpDelayMs: 200 });
  const nodeB = await createRedisEventBus(store, url, { catchUpDelayMs: 200 });
  buses.push(nodeA, nodeB);
  const seen: StoredEvent[] = [];
  nodeB.subscribe('key-outage', (e) => seen.push(e));

  await nodeA.publish(event(1));
  await until(() => seen.length === 1, 5000);

  await stopRedis();
  // Stored, delivered on A itself, but nothing crosses to B while Redis is away.
  for (const n of [2, 3, 4]) await nodeA.publish(event(n));
  await new Promise((r) => setTimeout(r, 300));
  expect(seen.map((e) => e.generation_id)).toEqual(['gen-1']);

  await startRedis();
  await until(() => seen.length >= 4, 15_000);
  await nodeA.publish(event(5));
  await until(() => seen.length >= 5, 5000);
  // Both catch-up reads have run by now; nothing arrived twice.
  await new Promise((r) => setTimeout(r, 600));
  expect(seen.map((e) => e.generation_id)).toEqual(['gen-1', 'gen-2', 'gen-3', 'gen-4', 'gen-5']);
}, scaled(60_000));
