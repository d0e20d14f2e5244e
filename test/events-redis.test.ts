/**
 * The Redis event bus as two API nodes see it: one store, one Redis (127.0.0.1:6379, or
 * RETAKE_TEST_REDIS_URL), two buses. An event published on one node reaches the
 * subscribers of its key on every node, exactly once, and nobody else's.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createRedisEventBus } from '../src/events/redis-bus.ts';
import type { EventBus } from '../src/events/types.ts';
import { until } from './support/until.ts';
import { openStore, type Store, type StoredEvent } from '../src/store/index.ts';

const REDIS_URL = process.env.RETAKE_TEST_REDIS_URL || 'redis://127.0.0.1:6379';

let dir: string;
let store: Store;
let nodeA: EventBus;
let nodeB: EventBus;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'retake-events-redis-'));
  store = await openStore({ dataDir: dir });
  // A channel of its own, so parallel test files on the same Redis do not mix.
  const channel = `retake-test:${randomUUID()}`;
  nodeA = await createRedisEventBus(store, REDIS_URL, { channel });
  nodeB = await createRedisEventBus(store, REDIS_URL, { channel });
});

afterEach(async () => {
  await nodeA.close();
  await nodeB.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

function event(keyId: string, generationId: string) {
  return {
    key_id: keyId, generation_id: generationId, type: 'media_generation_progress' as const,
    data: { generation_id: generationId, progress: 0.5, stage: 'render', eta_s: 3 },
  };
}

it('delivers an event published on one node to subscribers of its key on both nodes, once each', async () => {
  const onA: StoredEvent[] = [];
  const onB: StoredEvent[] = [];
  const otherKeyOnB: StoredEvent[] = [];
  nodeA.subscribe('key-1', (e) => onA.push(e));
  nodeB.subscribe('key-1', (e) => onB.push(e));
  nodeB.subscribe('key-2', (e) => otherKeyOnB.push(e));

  const stored = await nodeA.publish(event('key-1', 'gen-1'));
  // Redis keeps order per channel: once B's own later event comes back to A through
  // Redis, any duplicate of the first would already have arrived on both nodes.
  const marker = await nodeB.publish(event('key-1', 'gen-marker'));
  await until(() => onA.some((e) => e.id === marker.id) && onB.some((e) => e.id === stored.id));

  expect(onA.filter((e) => e.generation_id === 'gen-1')).toEqual([stored]);
  expect(onB.filter((e) => e.generation_id === 'gen-1')).toEqual([stored]);
  expect(onB.filter((e) => e.generation_id === 'gen-marker')).toEqual([marker]);
  expect(otherKeyOnB).toEqual([]);
});

it('persists before delivering, so a reconnecting client can replay from the store', async () => {
  const onB: StoredEvent[] = [];
  nodeB.subscribe('key-1', (e) => onB.push(e));
  const first = await nodeA.publish(event('key-1', 'gen-1'));
  const second = await nodeA.publish(event('key-1', 'gen-2'));
  await until(() => onB.length === 2);
  expect(onB.map((e) => e.id)).toEqual([first.id, second.id]);
  expect(await store.events.listAfter('key-1', first.id)).toEqual([second]);
});

it('stops delivering to a listener once it unsubscribes', async () => {
  const onB: StoredEvent[] = [];
  const stayed: StoredEvent[] = [];
  const unsubscribe = nodeB.subscribe('key-1', (e) => onB.push(e));
  nodeB.subscribe('key-1', (e) => stayed.push(e));
  await nodeA.publish(event('key-1', 'gen-1'));
  await until(() => onB.length === 1);
  unsubscribe();
  await nodeA.publish(event('key-1', 'gen-2'));
  await until(() => stayed.length === 2);
  expect(onB.map((e) => e.generation_id)).toEqual(['gen-1']);
});
