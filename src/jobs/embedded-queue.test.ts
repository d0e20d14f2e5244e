import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/index.ts';
import { ABORT_REASONS, createEmbeddedQueue } from './embedded-queue.ts';
import type { JobContext, JobQueue } from './types.ts';

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

/** Resolves when `predicate` holds, polling the state every few ms (no fixed sleeps). */
async function until(predicate: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('embedded queue', () => {
  it('runs each enqueued job once and removes it', async () => {
    const q = queue();
    const ran: string[] = [];
    q.start(async (id) => {
      ran.push(id);
      return { kind: 'done' };
    }, 1);
    await q.enqueue('a');
    await q.enqueue('b');
    await until(async () => ran.length === 2 && (await store.jobs.count()) === 0);
    expect(ran).toEqual(['a', 'b']);
  });

  it('never runs more jobs at once than its concurrency', async () => {
    const q = queue();
    let active = 0;
    let peak = 0;
    let finished = 0;
    q.start(async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 30));
      active--;
      finished++;
      return { kind: 'done' };
    }, 2);
    for (const id of ['a', 'b', 'c', 'd', 'e']) await q.enqueue(id);
    await until(() => finished === 5);
    expect(peak).toBe(2);
  });

  it('re-runs a job the handler asks to retry, with a growing attempt number', async () => {
    const q = queue();
    const attempts: number[] = [];
    q.start(async (_id, ctx) => {
      attempts.push(ctx.attempt);
      return ctx.attempt < 3 ? { kind: 'retry', at: Date.now() } : { kind: 'done' };
    }, 1);
    await q.enqueue('flaky');
    await until(() => attempts.length === 3);
    expect(attempts).toEqual([1, 2, 3]);
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

  it('on stop, aborts running jobs as a shutdown and leaves them queued for the next worker', async () => {
    const q = queue();
    let reason: unknown;
    let started = false;
    q.start(async (_id, ctx) => {
      started = true;
      await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
      reason = ctx.signal.reason;
      return { kind: 'retry', at: Date.now() };
    }, 1);
    await q.enqueue('long');
    await until(() => started);
    await q.stop();
    expect(reason).toBe(ABORT_REASONS.shutdown);
    expect(await store.jobs.count()).toBe(1);
    expect((await store.jobs.claim('next', Date.now(), 1000))?.generation_id).toBe('long');
  });

  it('aborts a running job on cancel with the cancelled reason', async () => {
    const q = queue();
    let reason: unknown;
    let started = false;
    q.start(async (_id, ctx) => {
      started = true;
      await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
      reason = ctx.signal.reason;
      return { kind: 'done' };
    }, 1);
    await q.enqueue('victim');
    await until(() => started);
    q.abort('victim');
    await until(async () => (await store.jobs.count()) === 0);
    expect(reason).toBe(ABORT_REASONS.cancelled);
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
