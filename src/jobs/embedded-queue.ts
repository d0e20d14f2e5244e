/**
 * The embedded job queue: a store table with leases and heartbeats. A worker claims a
 * job with a lease and renews it while the job runs; a worker that dies (SIGKILL, power
 * cut) stops renewing, its lease expires and another worker — or the same server after
 * a restart — claims the job again. Jobs are never lost, only re-run.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Store } from '../store/types.ts';
import type { JobHandler, JobQueue } from './types.ts';
import { ABORT_REASONS } from '../engines/types.ts';

export interface EmbeddedQueueOptions {
  /** Lease length; a dead worker's job re-runs after this. Default 30 s. */
  leaseMs?: number;
  /** How often an idle worker looks for work written by other processes. Default 250 ms. */
  pollMs?: number;
  /** Worker identity in lease rows. Default `<host>:<pid>:<random>`. */
  workerId?: string;
  /** Clock, replaceable in tests. */
  now?: () => number;
}

/** Wait for `tasks` to settle, or `ms`, whichever comes first. */
export async function settleWithin(tasks: Promise<unknown>[], ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.allSettled(tasks),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
  ]);
  clearTimeout(timer);
}

export function createEmbeddedQueue(store: Store, options: EmbeddedQueueOptions = {}): JobQueue {
  const leaseMs = options.leaseMs ?? 30_000;
  const pollMs = options.pollMs ?? 250;
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const now = options.now ?? Date.now;

  const running = new Map<string, AbortController>();
  const inFlight = new Set<Promise<void>>();
  let handler: JobHandler | undefined;
  let concurrency = 1;
  let started = false;
  let wake: (() => void) | undefined;
  let loop: Promise<void> | undefined;

  async function runOne(generationId: string, attempt: number): Promise<void> {
    const controller = new AbortController();
    running.set(generationId, controller);
    const beat = setInterval(() => {
      store.jobs.heartbeat(generationId, workerId, now(), leaseMs).then(
        (held) => {
          if (!held) controller.abort(ABORT_REASONS.leaseLost);
        },
        () => {
          // A store hiccup is not a lost lease; the next beat tries again.
        },
      );
    }, Math.max(10, Math.floor(leaseMs / 3)));
    try {
      const outcome = await handler!(generationId, { signal: controller.signal, attempt });
      if (controller.signal.reason === ABORT_REASONS.leaseLost) return; // another worker owns it now
      if (outcome.kind === 'retry') await store.jobs.release(generationId, workerId, outcome.at);
      else await store.jobs.remove(generationId);
    } catch {
      // The handler records failures itself; an escaped error leaves the job for a retry.
      await store.jobs.release(generationId, workerId, now() + 1000).catch(() => undefined);
    } finally {
      clearInterval(beat);
      running.delete(generationId);
    }
  }

  async function consume(): Promise<void> {
    while (started) {
      if (running.size >= concurrency) {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      let lease;
      try {
        lease = await store.jobs.claim(workerId, now(), leaseMs);
      } catch {
        lease = null;
      }
      if (!started) {
        if (lease) await store.jobs.release(lease.generation_id, workerId, now());
        break;
      }
      if (!lease) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        continue;
      }
      const task = runOne(lease.generation_id, lease.claims).finally(() => {
        inFlight.delete(task);
        wake?.();
      });
      inFlight.add(task);
    }
  }

  return {
    async enqueue(generationId, runAt) {
      await store.jobs.enqueue(generationId, runAt ?? now());
      wake?.();
    },
    async remove(generationId) {
      if (!running.has(generationId)) await store.jobs.remove(generationId);
    },
    abort(generationId) {
      running.get(generationId)?.abort(ABORT_REASONS.cancelled);
    },
    start(h, n) {
      if (started) return;
      handler = h;
      concurrency = Math.max(1, n);
      started = true;
      loop = consume();
    },
    async stop(graceMs = 0) {
      started = false;
      wake?.();
      await loop;
      if (graceMs > 0 && inFlight.size > 0) await settleWithin([...inFlight], graceMs);
      for (const controller of running.values()) controller.abort(ABORT_REASONS.shutdown);
      await Promise.allSettled([...inFlight]);
    },
  };
}
