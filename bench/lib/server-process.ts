/**
 * Runs `retake serve` in a child process for the benchmarks, so the server's memory
 * can be read from /proc without the load generator's own heap in the figure.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { withRaisedFdLimit } from './fd-limit.ts';

export interface ServerProcess {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** The bootstrap API key the server was started with. */
  apiKey: string;
  pid: number;
  /** Resident set size of the server process, in bytes (VmRSS). */
  rss(): Promise<number>;
  /** SIGTERM, wait for exit (SIGKILL after 5 s), remove the data dir. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** `api` keeps generations queued (no engine runs). Default `api`. */
  role?: 'all' | 'api' | 'worker';
  /** Give up when the server has not printed its URL within this time (a loaded machine starts slowly). Default 120000. */
  startTimeoutMs?: number;
}

/**
 * Start a server on a free loopback port with a fresh data dir and a known key. It runs
 * what `npm start` runs: the compiled server in dist/ (built here if missing or stale).
 */
export async function startServerProcess(options: StartOptions = {}): Promise<ServerProcess> {
  execFileSync(process.execPath, [resolve('bin/start.js'), '--build-if-stale'], { stdio: 'inherit' });
  const dataDir = await mkdtemp(join(tmpdir(), 'retake-bench-'));
  const apiKey = `rtk_bench_${Math.random().toString(36).slice(2)}`;
  // Raised open-files limit: the API bench holds 10,000 event streams open.
  const [command, args] = withRaisedFdLimit(process.execPath, [...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []), resolve('dist/cli/main.js'), 'serve', '--role', options.role ?? 'api', '--host', '127.0.0.1', '--port', '0']);
  const child = spawn(command, args, {
    // The benches measure what the server can do, so the per-key rate limits are off,
    // and a sync request waits for a slow render on a loaded machine.
    env: { ...process.env, RETAKE_DATA_DIR: dataDir, RETAKE_BOOTSTRAP_KEY: apiKey, RETAKE_LOG_LEVEL: 'warn', RETAKE_RATE_LIMIT_SUBMIT: '0', RETAKE_RATE_LIMIT_READ: '0', RETAKE_SYNC_TIMEOUT_MS: '3600000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  try {
    const origin = await waitForUrl(child, options.startTimeoutMs ?? 120_000);
    const pid = child.pid ?? 0;
    return {
      origin,
      apiKey,
      pid,
      rss: () => rssOf(pid),
      stop: () => stop(child, dataDir),
    };
  } catch (err) {
    await stop(child, dataDir);
    throw new Error(`server did not start: ${(err as Error).message}\n${stderr}`);
  }
}

function waitForUrl(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolveUrl, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no "listening on" line within ${timeoutMs} ms`)), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}`));
    });
  });
}

async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) * 1024;
}

async function stop(child: ChildProcess, dataDir?: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}

/** The bare fan-out server of bench/lib/bare-fanout-process.ts, the floor an SSE server is measured against. */
export interface BareFanout {
  origin: string;
  pid: number;
  stop(): Promise<void>;
}

/** Start the bare fan-out server in its own process, with the open-files limit raised like the server's. */
export async function startBareFanout(): Promise<BareFanout> {
  const [command, args] = withRaisedFdLimit(process.execPath, [resolve('bin/run-ts.js'), resolve('bench/lib/bare-fanout-process.ts')]);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const origin = await waitForUrl(child, 60_000);
    return { origin, pid: child.pid ?? 0, stop: () => stop(child) };
  } catch (err) {
    await stop(child);
    throw err;
  }
}

/**
 * Upload a committed sample clip (test/fixtures/media/<file>) to the server, or any
 * file when `path` is given; answers its URL.
 */
export async function uploadFixture(server: ServerProcess, file: string, path?: string): Promise<string> {
  const form = new FormData();
  const type = file.endsWith('.webm') ? 'video/webm' : file.endsWith('.png') ? 'image/png' : 'video/mp4';
  form.append('file', new Blob([await readFile(path ?? `test/fixtures/media/${file}`)], { type }), file);
  const res = await fetch(`${server.origin}/api/files`, { method: 'POST', body: form, headers: { authorization: `Bearer ${server.apiKey}` } });
  if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { url: string }).url;
}
