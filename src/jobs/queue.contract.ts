/**
 * The behaviour every `JobQueue` promises, as one suite run unchanged against each
 * backend (the embedded table queue, BullMQ). Backend-specific failure modes (expired
 * leases, stalled jobs) are tested beside each backend.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../test/support/until.ts';
import { ABORT_REASONS } from '../engines/types.ts';
import type { JobHandler, JobQueue } from './types.ts';

export interface QueueFixture {
  /** A queue on a fresh, empty backend. */
  queue: JobQueue;
  /** Another queue on the same backend, as a second worker process would have. */
  peer: () => Promise<JobQueue>;
  /** Stop every queue of the fixture and drop the backend's state. */
  cleanup(): Promise<void>;
}

/** Resolves when the job's signal aborts, with its reason. */
function aborted(signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(signal.reason), { once: true }));
}

/** A handler that records the ids it ran and finishes at once. */
function recorder(): { ran: string[]; handler: JobHandler } {
  const ran: string[] = [];
  return { ran, handler: async (id) => (ran.push(id), { kind: 'done' }) };
}

/** Register the queue contract tests under `label`; `make` builds one fixture per test. */
export function describeQueueContract(label: string, make: () => Promise<QueueFixture>): void {
  describe(`${label}: queue contract`, () => {
    let fixture: QueueFixture | undefined;
    const setup = async (): Promise<QueueFixture> => (fixture = await make());

    afterEach(async () => {
      await fixture?.cleanup();
      fixture = undefined;
    });

    it('runs each enqueued job once, even when it is enqueued twice', async () => {
      const { queue } = await setup();
      const { ran, handler } = recorder();
      await queue.enqueue('a');
      await queue.enqueue('a');
      await queue.enqueue('b');
      queue.start(handler, 1);
      await until(() => ran.includes('a') && ran.includes('b'));
      // A job enqueued afterwards runs after any leftover duplicate would have.
      await queue.enqueue('c');
      await until(() => ran.includes('c'));
      expect(ran).toEqual(['a', 'b', 'c']);
    });

    it('never runs more jobs at once than its concurrency', async () => {
      const { queue } = await setup();
      let active = 0;
      let peak = 0;
      let finished = 0;
      queue.start(async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 30));
        active--;
        finished++;
        return { kind: 'done' };
      }, 2);
      for (const id of ['a', 'b', 'c', 'd', 'e']) await queue.enqueue(id);
      await until(() => finished === 5);
      expect(peak).toBe(2);
    });

    it('re-runs a job the handler asks to retry, with a growing attempt number', async () => {
      const { queue } = await setup();
      const attempts: number[] = [];
      queue.start(async (_id, ctx) => {
        attempts.push(ctx.attempt);
        return ctx.attempt < 3 ? { kind: 'retry', at: Date.now() } : { kind: 'done' };
      }, 1);
      await queue.enqueue('flaky');
      await until(() => attempts.length === 3);
      expect(attempts).toEqual([1, 2, 3]);
    });

    it('holds a job enqueued for later until its time', async () => {
      const { queue } = await setup();
      const { ran, handler } = recorder();
      queue.start(handler, 1);
      await queue.enqueue('later', Date.now() + 300);
      await queue.enqueue('now');
      await until(() => ran.includes('now'));
      expect(ran).toEqual(['now']);
      await until(() => ran.includes('later'));
    });

    it('on stop, aborts a running job as a shutdown and another worker runs it again', async () => {
      const { queue, peer } = await setup();
      let reason: unknown;
      let started = false;
      queue.start(async (_id, ctx) => {
        started = true;
        reason = await aborted(ctx.signal);
        return { kind: 'retry', at: Date.now() };
      }, 1);
      await queue.enqueue('long');
      await until(() => started);
      await queue.stop();
      expect(reason).toBe(ABORT_REASONS.shutdown);

      const next = await peer();
      const attempts: number[] = [];
      next.start(async (_id, ctx) => (attempts.push(ctx.attempt), { kind: 'done' }), 1);
      await until(() => attempts.length === 1);
      expect(attempts[0]).toBeGreaterThan(1);
    });

    it('aborts a running job on cancel with the cancelled reason, and does not run it again', async () => {
      const { queue } = await setup();
      let reason: unknown;
      const ran: string[] = [];
      queue.start(async (id, ctx) => {
        ran.push(id);
        if (id === 'victim') reason = await aborted(ctx.signal);
        return { kind: 'done' };
      }, 1);
      await queue.enqueue('victim');
      await until(() => ran.includes('victim'));
      queue.abort('victim');
      await queue.enqueue('after');
      await until(() => ran.includes('after'));
      expect(reason).toBe(ABORT_REASONS.cancelled);
      expect(ran).toEqual(['victim', 'after']);
    });

    it('never runs a job removed while it was waiting', async () => {
      const { queue } = await setup();
      const { ran, handler } = recorder();
      await queue.enqueue('dropped');
      await queue.enqueue('kept');
      await queue.remove('dropped');
      queue.start(handler, 1);
      await until(() => ran.includes('kept'));
      expect(ran).toEqual(['kept']);
    });
  });
}
