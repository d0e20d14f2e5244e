/**
 * Runs `retake serve` as a real child process (its own process group, like a
 * production server), for tests that kill and restart it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../src/cli/free-port.ts';
import { scaled } from './deadline.ts';

const BIN = fileURLToPath(new URL('../../bin/retake.js', import.meta.url));

export interface ServerProcess {
  baseUrl: string;
  child: ChildProcess;
  output(): string;
  /** SIGKILL: no shutdown hooks run, like a power cut. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Start `retake serve` with `env` over the test's environment and wait until `/healthz`
 * on `port` answers. `args` go after `serve` (a worker with `--metrics-port` is waited
 * for on that port).
 */
export async function startServerProcess(env: Record<string, string>, port?: number, args: string[] = []): Promise<ServerProcess> {
  const p = port ?? (await freePort('127.0.0.1'));
  const child = spawn(process.execPath, [BIN, 'serve', ...args], {
    env: { ...process.env, RETAKE_HOST: '127.0.0.1', RETAKE_PORT: String(p), RETAKE_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${p}`;
  // Generous and scaled by load: a loaded CI machine compiles the sources slowly; an early exit still fails at once.
  const deadline = Date.now() + scaled(60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${out}`);
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl,
    child,
    output: () => out,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Poll `fn` until it returns a value (not undefined), or fail after `timeoutMs`. */
export async function eventually<T>(fn: () => Promise<T | undefined>, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  // Scaled by the machine's load: a busy two-core machine can take many times longer.
  const end = Date.now() + scaled(timeoutMs);
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * A JSON call to the API of whatever server `current()` returns (it changes across a
 * restart), with the bearer key. Answers the parsed body.
 */
export function apiCaller(current: () => ServerProcess | undefined, key: string) {
  return async (path: string, init: RequestInit = {}): Promise<any> => {
    const res = await fetch(`${current()!.baseUrl}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...init.headers },
    });
    return res.json();
  };
}

/**
 * Processes whose command line mentions `needle` (a test's data dir: only that test's
 * server children), as "pid: command line" so a failure shows what was left running.
 */
export async function processesMentioning(needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((n) => /^\d+$/.test(n))) {
    const cmd = await readFile(`/proc/${pid}/cmdline`, 'latin1').catch(() => '');
    if (cmd.includes(needle)) found.push(`${pid}: ${cmd.replaceAll('\0', ' ').slice(0, 160)}`);
  }
  return found;
}
