/**
 * `npm start` as a supervisor or a script uses it: start it, wait for the server to
 * listen, signal the npm process, and check that no server is left, neither on the
 * port nor as a process. A second start with nothing changed does not recompile.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaled } from './support/deadline.ts';

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'retake-npm-start-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

interface Started {
  npm: ChildProcess;
  port: number;
  output: () => string;
}

/** `npm start -- --port 0`, resolved once the server says where it listens. */
function npmStart(): Promise<Started> {
  const npm = spawn('npm', ['start', '--', '--port', '0'], {
    env: { ...process.env, RETAKE_DATA_DIR: dataDir, RETAKE_LOG_LEVEL: 'warn', RETAKE_BOOTSTRAP_KEY: 'rtk_npm_start_test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`npm start did not listen within 90 s:\n${text}`)), 90_000);
    const onData = (chunk: Buffer): void => {
      text += chunk.toString();
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        done({ npm, port: Number(m[1]), output: () => text });
      }
    };
    npm.stdout.on('data', onData);
    npm.stderr.on('data', onData);
    npm.on('exit', (code) => fail(new Error(`npm start exited with ${code}:\n${text}`)));
  });
}

/** Every process below `pid` (Linux /proc), depth first. */
function descendants(pid: number): number[] {
  const children: number[] = [];
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    const listed = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
    for (const child of listed ? listed.split(' ').map(Number) : []) children.push(child, ...descendants(child));
  }
  return children;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

async function eventually(check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

describe('npm start', () => {
  it.each(['SIGTERM', 'SIGINT', 'SIGKILL'] as const)('leaves no server behind when npm is sent %s', async (signal) => {
    const { npm, port } = await npmStart();
    const tree = descendants(npm.pid!);
    expect(tree.length).toBeGreaterThan(0);
    expect(await accepts(port)).toBe(true);

    const exited = new Promise((done) => npm.once('exit', done));
    npm.kill(signal);
    await exited;
    // SIGKILL cannot be passed on: the server notices that npm is gone within a second.
    expect(await eventually(async () => !(await accepts(port)), 15_000)).toBe(true);
    expect(await eventually(() => tree.every((pid) => !alive(pid)), 15_000)).toBe(true);
  }, scaled(120_000));

  it('does not recompile when nothing changed since the last start', async () => {
    const { npm, output } = await npmStart();
    const exited = new Promise((done) => npm.once('exit', done));
    npm.kill('SIGTERM');
    await exited;
    expect(output()).toMatch(/listening on/);
    expect(output()).not.toMatch(/compiling/);
  }, scaled(120_000));
});
