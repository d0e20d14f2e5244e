/**
 * The scale-out job queue: BullMQ over Redis behind the same `JobQueue` as the embedded
 * table queue. The job id is the generation id, so enqueueing twice is a no-op. A worker
 * holds a lock on each running job and renews it; a worker that dies stops renewing and
 * BullMQ's stalled-job checker (in every other worker) hands the job to someone else.
 * Jobs are never lost, only re-run — as in the embedded queue.
 */
import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { ABORT_REASONS } from './embedded-queue.ts';
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
      const delay = runAt === undefined ? 0 : Math.max(0, runAt - Date.now());
      await queue.add('generation', {}, { jobId: generationId, delay });
    },
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
    },
    async stop() {
      stopping = true;
      const closing = worker?.close();
      for (const controller of running.values()) controller.abort(ABORT_REASONS.shutdown);
      await closing;
      await queue.close();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
