// The embedded queue: the shared queue contract, plus its lease behaviour over the store's jobs table.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/index.ts';
import { ABORT_REASONS } from '../engines/types.ts';
import { createEmbeddedQueue } from './embedded-queue.ts';
import { until } from '../../test/support/until.ts';
import { describeQueueContract } from './queue.contract.ts';
import type { JobContext, JobQueue } from './types.ts';

describeQueueContract('embedded queue', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'retake-queue-contract-'));
  const store = await openStore({ dataDir: dir });
  const queues: JobQueue[] = [];
  const make = (): JobQueue => {
    const q = createEmbeddedQueue(store, { pollMs: 10, leaseMs: 1000 });
    queues.push(q);
    return q;
  };
  return {
    queue: make(),
    peer: async () => make(),
    async cleanup() {
      for (const q of queues) await q.stop();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('embedded queue: leases', () => {
  let dir: string;
  let store: Store;
  const queues: JobQueue[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'retake-queue-'));
    store = await openStore({ dataDir: dir });
  });

  afterEach(async () => {
    for (const q of queues.splice(0)) await q.stop();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  function queue(options: Parameters<typeof createEmbeddedQueue>[1] = {}): JobQueue {
    const q = createEmbeddedQueue(store, { pollMs: 10, leaseMs: 1000, ...options });
    queues.push(q);
    return q;
  }

  it('removes a finished job from the table', async () => {
    const q = queue();
    let done = false;
    q.start(async () => ((done = true), { kind: 'done' }), 1);
    await q.enqueue('one');
    await until(async () => done && (await store.jobs.count()) === 0);
  });

  it("takes over a dead worker's job once its lease has expired", async () => {
    await store.jobs.enqueue('orphan', 0);
    // A worker claimed it long ago and then died: it never renewed its lease.
    const dead = await store.jobs.claim('dead-worker', Date.now() - 60_000, 1000);
    expect(dead?.generation_id).toBe('orphan');
    const q = queue();
    const seen: JobContext[] = [];
    q.start(async (_id, ctx) => {
      seen.push(ctx);
      return { kind: 'done' };
    }, 1);
    await until(() => seen.length === 1);
    expect(seen[0]!.attempt).toBe(2);
  });

  it('does not take a job whose lease is still being renewed', async () => {
    await store.jobs.enqueue('busy', 0);
    await store.jobs.claim('live-worker', Date.now(), 60_000);
    const q = queue();
    let ran = false;
    q.start(async () => {
      ran = true;
      return { kind: 'done' };
    }, 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(ran).toBe(false);
    expect(await store.jobs.count()).toBe(1);
  });

  it('aborts a job whose lease another worker took, without touching that worker\'s lease', async () => {
    const q = queue({ leaseMs: 60 });
    let reason: unknown;
    q.start(async (_id, ctx) => {
      // Simulate a long stall in this worker: another worker takes the job meanwhile.
      await store.jobs.claim('thief', Date.now() + 10_000, 60_000);
      await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
      reason = ctx.signal.reason;
      return { kind: 'done' };
    }, 1);
    await q.enqueue('contested');
    await until(() => reason !== undefined);
    expect(reason).toBe(ABORT_REASONS.leaseLost);
    await new Promise((r) => setTimeout(r, 20));
    expect(await store.jobs.count()).toBe(1);
  });
});
