/**
 * The scale-out job queue: BullMQ over Redis behind the same `JobQueue` as the embedded
 * table queue. The job id is the generation id, so enqueueing twice is a no-op. A worker
 * holds a lock on each running job and renews it; a worker that dies stops renewing and
 * BullMQ's stalled-job checker (in every other worker) hands the job to someone else.
 * Jobs are never lost, only re-run — as in the embedded queue.
 *
 * The store, not Redis, is the source of truth: workers sweep it for unfinished
 * generations and re-add any whose job Redis no longer has (a Redis restarted without
 * persistence, an enqueue cut off mid-flight). While Redis is unreachable, enqueueing
 * fails at once with 503 `service_unavailable` instead of waiting for it.
 */
import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { RetakeError } from '../errors/index.ts';
import { ABORT_REASONS } from '../engines/types.ts';
import { settleWithin } from './embedded-queue.ts';
import type { JobHandler, JobQueue } from './types.ts';

export interface BullmqQueueOptions {
  /** Redis URL, e.g. `redis://127.0.0.1:6379`. */
  redisUrl: string;
  /** BullMQ queue name; every API and worker process of one deployment uses the same. Default `retake-generations`. */
  queueName?: string;
  /**
   * Lock length and stalled-check interval: a dead worker's job re-runs elsewhere after
   * one to two times this. Default 30 s.
   */
  lockMs?: number;
  /** Connection and worker errors (the queue keeps going). Default: ignored. */
  onError?: (err: Error) => void;
  /**
   * Ids of generations that are not terminal, from the store (oldest first). Workers
   * re-add those older than one sweep whose job is missing. Default: no sweep.
   */
  unfinished?: () => Promise<{ id: string; enqueued_at: number }[]>;
  /** How often a worker sweeps, default max(lockMs, 5 s). */
  sweepMs?: number;
}

/** Longest an enqueue or a ping waits for Redis before answering 503. */
const REDIS_ANSWER_MS = 3000;

function unavailable(cause?: unknown): RetakeError {
  return new RetakeError('service_unavailable', 'The job queue (Redis) is not answering; try again shortly', { cause });
}

/** `promise`, or a 503 once `ms` have passed (the command itself may still complete later). */
async function answerWithin<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise.catch((err: unknown) => { throw unavailable(err); }),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(unavailable()), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Where the handler's failures go back to the queue: the same short pause as the embedded queue. */
const ESCAPED_ERROR_RETRY_MS = 1000;

/**
 * A crash re-run must never turn into a BullMQ "failed" job: the generation would stay
 * `processing` forever. The runner bounds real retries itself.
 */
const MAX_STALLED_COUNT = 1_000_000;

/** Create the BullMQ queue; the Redis connection opens at once, the worker on `start`. */
export function createBullmqQueue(options: BullmqQueueOptions): JobQueue {
  const name = options.queueName ?? 'retake-generations';
  const lockMs = options.lockMs ?? 30_000;
  const onError = options.onError ?? (() => undefined);

  // BullMQ workers block on Redis and must retry forever rather than fail a command.
  const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  connection.on('error', onError);
  const queue = new Queue(name, {
    connection,
    defaultJobOptions: { removeOnComplete: true, removeOnFail: true },
  });
  queue.on('error', onError);

  const running = new Map<string, AbortController>();
  let worker: Worker | undefined;
  let stopping = false;
  let sweepTimer: NodeJS.Timeout | undefined;
  const sweepMs = options.sweepMs ?? Math.max(lockMs, 5000);

  // A connection that was lost is reported at once; one still opening gets REDIS_ANSWER_MS.
  const assertConnected = (): void => {
    if (['reconnecting', 'close', 'end'].includes(connection.status)) throw unavailable();
  };

  /** Re-add unfinished generations whose job Redis lost; adding an id that exists is a no-op. */
  async function sweep(): Promise<void> {
    if (!options.unfinished || connection.status !== 'ready') return;
    const cutoff = Date.now() - sweepMs;
    const ids = (await options.unfinished()).filter((g) => g.enqueued_at < cutoff).map((g) => g.id);
    if (ids.length === 0) return;
    await queue.addBulk(ids.map((jobId) => ({ name: 'generation', data: {}, opts: { jobId } })));
  }

  async function runJob(job: Job, token: string | undefined, handler: JobHandler): Promise<void> {
    const id = job.id!;
    if (stopping) {
      // Fetched while stopping: hand it straight back instead of starting work.
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    }
    const controller = new AbortController();
    running.set(id, controller);
    try {
      let at: number;
      try {
        const outcome = await handler(id, { signal: controller.signal, attempt: job.attemptsStarted });
        if (outcome.kind === 'done' && controller.signal.reason !== ABORT_REASONS.leaseLost) return;
        at = outcome.kind === 'retry' ? outcome.at : Date.now();
      } catch {
        // The handler records failures itself; an escaped error leaves the job for a retry.
        at = Date.now() + ESCAPED_ERROR_RETRY_MS;
      }
      // Another worker owns a job whose lock we lost: leave its state alone.
      if (controller.signal.reason !== ABORT_REASONS.leaseLost) {
        await job.moveToDelayed(Math.max(at, Date.now()), token).catch((err: unknown) => {
          // Still locked by us: once the lock lapses the stalled checker re-runs it.
          onError(err instanceof Error ? err : new Error(String(err)));
        });
      }
      // Tells BullMQ the job's state has been taken care of (neither completed nor failed).
      throw new DelayedError();
    } finally {
      running.delete(id);
    }
  }

  return {
    async enqueue(generationId, runAt) {
      assertConnected();
      const delay = runAt === undefined ? 0 : Math.max(0, runAt - Date.now());
      await answerWithin(queue.add('generation', {}, { jobId: generationId, delay }), REDIS_ANSWER_MS);
    },
    async ping() {
      assertConnected();
      await answerWithin(connection.ping(), REDIS_ANSWER_MS);
    },
    rebuildsFromStore: options.unfinished !== undefined,
    async remove(generationId) {
      // BullMQ refuses to remove a locked (running) job; that one is stopped through `abort`.
      if (!running.has(generationId)) await queue.remove(generationId);
    },
    abort(generationId) {
      running.get(generationId)?.abort(ABORT_REASONS.cancelled);
    },
    start(handler, concurrency) {
      if (worker || stopping) return;
      worker = new Worker(name, (job, token) => runJob(job, token, handler), {
        connection,
        concurrency: Math.max(1, concurrency),
        lockDuration: lockMs,
        stalledInterval: lockMs,
        maxStalledCount: MAX_STALLED_COUNT,
      });
      worker.on('error', onError);
      worker.on('lockRenewalFailed', (ids) => {
        for (const id of ids) running.get(id)?.abort(ABORT_REASONS.leaseLost);
      });
      if (options.unfinished) {
        sweepTimer = setInterval(() => {
          sweep().catch((err: unknown) => onError(err instanceof Error ? err : new Error(String(err))));
        }, sweepMs);
        sweepTimer.unref();
      }
    },
    async stop(graceMs = 0) {
      stopping = true;
      clearInterval(sweepTimer);
      // Stops fetching at once; resolves when the jobs running here have settled.
      const closing = worker?.close();
      if (closing && graceMs > 0 && running.size > 0) await settleWithin([closing], graceMs);
      for (const controller of running.values()) controller.abort(ABORT_REASONS.shutdown);
      await closing;
      await queue.close();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
