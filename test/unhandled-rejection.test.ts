/**
 * A promise that rejects with no handler does not end a served retake. The server runs
 * as a real process; a preloaded module plants a rejection nobody handles when the
 * test sends SIGUSR2 (Node's default would exit with the error). The server logs it
 * and goes on answering requests.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startServerProcess, type ServerProcess } from './support/server-process.ts';
import { scaled } from './support/deadline.ts';

const KEY = 'rtk_unhandled_rejection_test_key_0000000';
const PLANT = 'process.on("SIGUSR2",()=>{Promise.reject(new Error("planted rejection"))})';
let dataDir: string;
let server: ServerProcess;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'retake-unhandled-'));
  server = await startServerProcess({
    RETAKE_DATA_DIR: dataDir, RETAKE_BOOTSTRAP_KEY: KEY,
    NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(PLANT)}`,
  });
});

afterAll(async () => {
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('an unhandled rejection', () => {
  it('is logged and the server keeps serving', async () => {
    server.child.kill('SIGUSR2');
    await eventually(async () => (server.output().includes('planted rejection') ? true : undefined), 30_000, 50);
    expect(server.output()).toContain('unhandled promise rejection');
    expect(server.child.exitCode).toBeNull();
    const res = await fetch(`${server.baseUrl}/api/ai/queue`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(res.status).toBe(200);
    expect(server.child.exitCode).toBeNull();
  }, scaled(90_000));
});
