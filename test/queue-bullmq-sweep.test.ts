/**
 * Redis keeps nothing on disk in a typical scale-out setup: restarted, it has forgotten
 * every queued job. The store is the source of truth, and workers sweep it for
 * unfinished generations, re-adding those whose job Redis no longer has. Here the
 * queue's keys are deleted outright (what a restart without persistence does to them)
 * between the enqueue and any worker: the jobs still run, each once.
 */
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createBullmqQueue } from '../src/jobs/bullmq-queue.ts';
import type { JobQueue } from '../src/jobs/types.ts';

const REDIS_URL = process.env.RETAKE_TEST_REDIS_URL || 'redis://127.0.0.1:6379';

async function withQueue<T>(queueName: string, use: (queue: Queue) => Promise<T>): Promise<T> {
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(queueName, { connection });
  try {
    return await use(queue);
  } finally {
    await queue.close();
    await connection.quit();
  }
}

async function waitFor(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('BullMQ queue: Redis forgot its jobs', () => {
  const queues: JobQueue[] = [];
  const names: string[] = [];
  afterEach(async () => {
    for (const q of queues.splice(0)) await q.stop();
    for (const name of names.splice(0)) await withQueue(name, (q) => q.obliterate({ force: true }));
  });

  it('re-adds unfinished generations from the store and runs each once', async () => {
    const queueName = `retake-test-${randomUUID()}`;
    names.push(queueName);
    const sweepMs = 300;
    const now = Date.now();
    // What the store says is unfinished (a finished generation leaves this list).
    const stored = [
      { id: 'gen-lost-1', enqueued_at: now - 10_000 },
      { id: 'gen-lost-2', enqueued_at: now - 5_000 },
    ];
    const producer = createBullmqQueue({ redisUrl: REDIS_URL, queueName, lockMs: 2000 });
    queues.push(producer);
    await producer.enqueue('gen-lost-1');
    await producer.enqueue('gen-lost-2');
    // Redis restarts with no persistence: the queue's keys are gone.
    await withQueue(queueName, async (q) => {
      expect(await q.getJobCounts('waiting')).toMatchObject({ waiting: 2 });
      await q.obliterate({ force: true });
      expect(await q.getJob('gen-lost-1')).toBeUndefined();
    });

    const worker = createBullmqQueue({ redisUrl: REDIS_URL, queueName, lockMs: 2000, sweepMs, unfinished: async () => stored.filter((g) => !ran.includes(g.id)) });
    queues.push(worker);
    const ran: string[] = [];
    worker.start(async (id) => (ran.push(id), { kind: 'done' }), 1);
    await waitFor(() => ran.length >= 2, 15_000);
    // Several more sweeps: nothing runs twice.
    await new Promise((r) => setTimeout(r, sweepMs * 4));
    expect(ran.sort()).toEqual(['gen-lost-1', 'gen-lost-2']);
  });
});
