/**
 * SIGTERM drains a server instead of dropping its work: open SSE streams end with a
 * `retry:` hint (clients reconnect elsewhere at once), a render that can finish within
 * RETAKE_SHUTDOWN_MS finishes, and one that cannot is handed back to the queue, so the
 * next server runs it at once rather than after a lease expires.
 */
import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startMediaServer, type MediaServer } from './support/media-server.ts';
import { apiCaller, eventually, startServerProcess, type ServerProcess } from './support/server-process.ts';
import { scaled } from './support/deadline.ts';

const KEY = 'rtk_graceful_shutdown_test_key_00000000';
let media: MediaServer;
let dataDir: string;
let server: ServerProcess | undefined;
const api = apiCaller(() => server, KEY);

const env = (shutdownMs: number) => ({
  RETAKE_DATA_DIR: dataDir,
  RETAKE_BOOTSTRAP_KEY: KEY,
  RETAKE_ALLOW_PRIVATE_URLS: '1',
  // Long: a job that runs again soon after a restart was handed back, not left to expire.
  RETAKE_LEASE_MS: '120000',
  RETAKE_SHUTDOWN_MS: String(shutdownMs),
});

beforeAll(async () => {
  media = await startMediaServer();
});
afterAll(async () => {
  await media.close();
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

/** An SSE stream's raw text, and a promise that resolves when the server ends it. */
function rawStream(baseUrl: string): Promise<{ text: () => string; ended: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}/api/events`, { headers: { authorization: `Bearer ${KEY}` } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      const ended = new Promise<void>((done) => res.on('end', done));
      resolve({ text: () => text, ended });
    });
    req.on('error', reject);
    req.end();
  });
}

async function startRender(body: Record<string, unknown>): Promise<string> {
  const queued = await api('/api/ai/queue', { method: 'POST', body: JSON.stringify({ model: 'retake-local', ...body }) });
  const id: string = queued.generations[0].generation_id;
  await eventually(async () => {
    const row = await api(`/api/ai/queue/${id}`);
    return row.status === 'processing' && row.progress > 0 ? row : undefined;
  }, 60_000, 50);
  return id;
}

async function startedEvents(id: string): Promise<number> {
  const controller = new AbortController();
  const res = await fetch(`${server!.baseUrl}/api/events?generation_id=${id}`, {
    headers: { authorization: `Bearer ${KEY}`, 'last-event-id': '0' }, signal: controller.signal,
  });
  const reader = res.body!.getReader();
  let text = '';
  const deadline = Date.now() + 1500;
  while (Date.now() < deadline && !text.includes('media_generation_completed')) {
    const chunk = await Promise.race([reader.read(), new Promise<undefined>((r) => setTimeout(() => r(undefined), 300))]);
    if (chunk?.value) text += new TextDecoder().decode(chunk.value);
  }
  controller.abort();
  return text.match(/event: media_generation_started/g)?.length ?? 0;
}

describe('SIGTERM', () => {
  it('ends SSE streams with a retry hint and lets a running render finish', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'retake-drain-'));
    server = await startServerProcess(env(60_000));
    const stream = await rawStream(server.baseUrl);
    const id = await startRender({ prompt: 'watercolor', input_video: media.url('portrait.mp4') });

    const exited = new Promise<number | null>((resolve) => server!.child.once('exit', (code) => resolve(code)));
    server.child.kill('SIGTERM');
    await stream.ended;
    expect(stream.text()).toMatch(/retry: \d+\n\n$/);
    expect(await exited).toBe(0);
    expect(server.output()).toMatch(/SIGTERM received, shutting down/);

    // The render finished before the process left: done, in one attempt.
    server = await startServerProcess(env(60_000));
    const row = await api(`/api/ai/queue/${id}`);
    expect(row.status).toBe('succeeded');
    expect(await startedEvents(id)).toBe(1);
  }, scaled(120_000));

  it('hands back a render that outlasts RETAKE_SHUTDOWN_MS, and the next server runs it at once', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'retake-drain-'));
    server = await startServerProcess(env(300));
    const id = await startRender({ prompt: 'watercolor', input_video: media.url('flower.mp4'), resolution: '720p' });
    const t0 = Date.now();
    await server.stop();
    expect(server.child.exitCode).toBe(0);
    // It left without finishing the render (which takes seconds, not 300 ms).
    expect(Date.now() - t0).toBeLessThan(30_000);

    server = await startServerProcess(env(300));
    expect((await api(`/api/ai/queue/${id}`)).status).not.toBe('succeeded');
    const row = await eventually(async () => {
      const r = await api(`/api/ai/queue/${id}`);
      return r.status === 'succeeded' || r.status === 'failed' ? r : undefined;
    }, 100_000, 200);
    expect(row.status).toBe('succeeded');
    // Re-run without waiting out the 120 s lease: it was handed back, not abandoned.
    expect(Date.now() - t0).toBeLessThan(100_000);
    expect(await startedEvents(id)).toBe(2);
  }, scaled(150_000));
});
