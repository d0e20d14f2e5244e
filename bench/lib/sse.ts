/**
 * Many SSE subscribers on one key, each on its own connection, held by a separate
 * process (bench/lib/subscribers-process.ts) with a raised open-files limit, recording
 * when each event (by generation id) reaches each subscriber.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { withRaisedFdLimit } from './fd-limit.ts';

export interface Subscribers {
  count: number;
  /**
   * Wall-clock arrival times (ms, `performance.timeOrigin + performance.now()`) of the
   * events for `generationId`, one per subscriber that got it; resolves when
   * `expected` subscribers got it, or after `timeoutMs`.
   */
  waitFor(generationId: string, expected: number, timeoutMs: number): Promise<number[]>;
  close(): Promise<void>;
}

type Reply = { opened: number } | { error: string } | { id: string; arrivals: number[] };

/** Open `count` subscribers of `GET /api/events` in a child process, `batch` connections at a time. */
export async function openSubscribers(origin: string, apiKey: string, count: number, batch = 200): Promise<Subscribers> {
  const [command, args] = withRaisedFdLimit(process.execPath, [resolve('bin/run-ts.js'), resolve('bench/lib/subscribers-process.ts')]);
  const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<string, (arrivals: number[]) => void>();
  let opened: ((reply: Reply) => void) | undefined;
  child.on('message', (reply: Reply) => {
    if ('arrivals' in reply) waiting.get(reply.id)?.(reply.arrivals);
    else opened?.(reply);
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const reply = await Promise.race([
    new Promise<Reply>((done) => {
      opened = done;
      child.send({ open: { origin, apiKey, count, batch } });
    }),
    exited.then((): Reply => ({ error: 'the subscribers process exited' })),
  ]);
  if ('error' in reply) {
    child.kill();
    throw new Error(`opening ${count} subscribers: ${reply.error}`);
  }
  return {
    count,
    waitFor(id, expected, timeoutMs) {
      return new Promise((done) => {
        waiting.set(id, (arrivals) => {
          waiting.delete(id);
          done(arrivals);
        });
        child.send({ collect: { id, expected, timeoutMs } });
      });
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.disconnect();
      await exited;
    },
  };
}

/** Wall-clock now (ms), on the clock the subscribers' arrival times use. */
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}
