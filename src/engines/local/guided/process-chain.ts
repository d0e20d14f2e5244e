/**
 * A chain of child processes joined by pipes (decoder | mapper | encoder), each in its
 * own process group like every other child of the engine: a cancel sends SIGTERM to
 * every group, then SIGKILL to what lingers, and the chain settles within a second.
 * The first process to fail decides the error; a process that dies of a broken pipe
 * because its neighbour failed does not hide the real cause.
 *
 * The pipes join the children directly (each one's stdout is the next one's stdin), so
 * the frames never pass through this process: a 1080p clip is gigabytes of raw pixels,
 * which would otherwise cost the server's event loop a copy in and a copy out. Each
 * child dies with this process (parent-death.ts), so a server killed mid-render does
 * not leave a chain running that no longer feeds anyone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { RetakeError } from '../../../errors/index.ts';
import { describeFailure } from '../ffmpeg-process.ts';
import { dieWithParent, LAUNCH_FAILED } from '../parent-death.ts';

const KILL_GRACE_MS = 700;
const STDERR_TAIL_BYTES = 4096;

export interface ChainStep {
  command: string;
  args: string[];
  /** Short name used in error messages (`decoder`, `mapper`, `encoder`). */
  name: string;
}

export interface ChainOptions {
  signal?: AbortSignal | undefined;
  /** What the chain renders, for error messages; default `Guided render`. */
  what?: string | undefined;
  /** Each stdout line of the last process (FFmpeg's `-progress pipe:1`). */
  onLastStdoutLine?: ((line: string) => void) | undefined;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Run `steps` as `steps[0] | steps[1] | ...`; resolves when all exited cleanly. */
export function runChain(steps: readonly ChainStep[], options: ChainOptions = {}): Promise<void> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(new RetakeError('cancelled', 'Generation was cancelled'));
  return new Promise((resolve, reject) => {
    const children: ChildProcess[] = [];
    const tails: string[] = steps.map(() => '');
    let exited = 0;
    let failed: { index: number; code: number | null } | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let spawnError: Error | undefined;

    const stopAll = (): void => {
      for (const child of children) killGroup(child, 'SIGTERM');
      killTimer ??= setTimeout(() => children.forEach((c) => killGroup(c, 'SIGKILL')), KILL_GRACE_MS);
    };
    const onAbort = (): void => stopAll();
    signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (): void => {
      signal?.removeEventListener('abort', onAbort);
      clearTimeout(killTimer);
      if (signal?.aborted) {
        children.forEach((c) => killGroup(c, 'SIGKILL'));
        reject(new RetakeError('cancelled', 'Generation was cancelled'));
      } else if (spawnError) {
        reject(new RetakeError('engine_unavailable', 'Could not start a render process', { cause: spawnError }));
      } else if (failed) {
        const step = steps[failed.index]!;
        reject(new RetakeError('render_failed', `${options.what ?? 'Guided render'} failed in the ${step.name}: ${describeFailure(tails[failed.index] ?? '')}`));
      } else {
        resolve();
      }
    };

    let previous: Readable | undefined;
    steps.forEach((step, index) => {
      const last = index === steps.length - 1;
      const launch = dieWithParent(step.command, step.args);
      // The previous child's stdout (a pipe) becomes this one's stdin; this process then
      // closes its own end, so neither side waits on a reader or writer that is gone.
      const child = spawn(launch.command, launch.args, { detached: true, stdio: [previous ?? 'ignore', 'pipe', 'pipe'] });
      previous?.destroy();
      previous = last ? undefined : child.stdout ?? undefined;
      children.push(child);
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
        tails[index] = ((tails[index] ?? '') + chunk).slice(-STDERR_TAIL_BYTES);
      });
      if (last) {
        let partial = '';
        child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
          const lines = (partial + chunk).split('\n');
          partial = lines.pop() ?? '';
          for (const line of lines) options.onLastStdoutLine?.(line);
        });
      }
      child.on('error', (err) => {
        spawnError ??= err;
        stopAll();
      });
      child.on('close', (code) => {
        if (launch.wrapped && code === LAUNCH_FAILED && /^setpriv: failed to execute/m.test(tails[index] ?? '')) {
          spawnError ??= new Error(`${step.command} could not be started: ${tails[index] ?? ''}`);
          stopAll();
        } else if (code !== 0 && !failed) {
          failed = { index, code };
          stopAll();
        }
        exited++;
        if (exited === steps.length) finish();
      });
    });
  });
}
