/**
 * The BullMQ queue against a real Redis (127.0.0.1:6379, or RETAKE_TEST_REDIS_URL): the
 * shared queue contract, then what only a multi-process deployment shows — a worker
 * process killed with SIGKILL mid-job, whose job another worker must pick up.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createBullmqQueue } from '../src/jobs/bullmq-queue.ts';
import { describeQueueContract } from '../src/jobs/queue.contract.ts';
import { until } from './support/until.ts';
import type { JobQueue } from '../src/jobs/types.ts';

const REDIS_URL = process.env.RETAKE_TEST_REDIS_URL || 'redis://127.0.0.1:6379';

/** Remove every key of a test queue, whatever state its jobs are in. */
async function obliterate(queueName: string): Promise<void> {
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(queueName, { connection });
  await queue.obliterate({ force: true });
  await queue.close();
  await connection.quit();
}

describeQueueContract('BullMQ queue', async () => {
  const queueName = `retake-test-${randomUUID()}`;
  const queues: JobQueue[] = [];
  const make = (): JobQueue => {
    const q = createBullmqQueue({ redisUrl: REDIS_URL, queueName, lockMs: 2000 });
    queues.push(q);
    return q;
  };
  return {
    queue: make(),
    peer: async () => make(),
    async cleanup() {
      for (const q of queues) await q.stop();
      await obliterate(queueName);
    },
  };
});

// A worker process that takes one job, says so, and then hangs until it is killed.
const dyingWorker = `
const { createBullmqQueue } = await import(${JSON.stringify(resolve('src/jobs/bullmq-queue.ts'))});
const [redisUrl, queueName, lockMs] = process.argv.slice(1);
const queue = createBullmqQueue({ redisUrl, queueName, lockMs: Number(lockMs) });
queue.start(async (id, ctx) => {
  console.log(JSON.stringify({ id, attempt: ctx.attempt }));
  return new Promise(() => {});
}, 1);
`;

describe('BullMQ queue: dead workers', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('hands the job of a worker killed with SIGKILL to another worker, with attempt 2', async () => {
    const queueName = `retake-test-${randomUUID()}`;
    const lockMs = 400;
    cleanups.push(() => obliterate(queueName));

    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', dyingWorker, REDIS_URL, queueName, String(lockMs)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanups.push(async () => void child.kill('SIGKILL'));
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => void (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => void (err += chunk.toString()));

    const producer = createBullmqQueue({ redisUrl: REDIS_URL, queueName, lockMs });
    cleanups.push(() => producer.stop());
    await producer.enqueue('orphan');
    await until(() => out.includes('orphan'), 15_000).catch(() => {
      throw new Error(`the dying worker never took the job: ${err}`);
    });
    expect(JSON.parse(out.trim())).toEqual({ id: 'orphan', attempt: 1 });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const survivor = createBullmqQueue({ redisUrl: REDIS_URL, queueName, lockMs });
    cleanups.push(() => survivor.stop());
    const seen: { id: string; attempt: number }[] = [];
    survivor.start(async (id, ctx) => (seen.push({ id, attempt: ctx.attempt }), { kind: 'done' }), 1);
    await until(() => seen.length === 1, 10 * lockMs);
    expect(seen).toEqual([{ id: 'orphan', attempt: 2 }]);
  });

  it('leaves a running job alone while its worker keeps renewing the lock', async () => {
    const queueName = `retake-test-${randomUUID()}`;
    const lockMs = 200;
    cleanups.push(() => obliterate(queueName));
    const busy = createBullmqQueue({ redisUrl: REDIS_URL, queueName, lockMs });
    const other = createBullmqQueue({ redisUrl: REDIS_URL, queueName, lockMs });
    cleanups.push(() => busy.stop(), () => other.stop());

    let release: () => void = () => undefined;
    const runs: string[] = [];
    busy.start(async (id) => {
      runs.push(`busy:${id}`);
      if (id === 'long') await new Promise<void>((r) => (release = r));
      return { kind: 'done' };
    }, 1);
    await busy.enqueue('long');
    await until(() => runs.length === 1);
    other.start(async (id) => (runs.push(`other:${id}`), { kind: 'done' }), 1);
    // Several lock lengths and stalled checks pass; the job must not be taken over.
    await new Promise((r) => setTimeout(r, 6 * lockMs));
    release();
    await other.enqueue('next');
    await until(() => runs.some((r) => r.endsWith(':next')));
    expect(runs.filter((r) => r.endsWith(':long'))).toEqual(['busy:long']);
  });
});
