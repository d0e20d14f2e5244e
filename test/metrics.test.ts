/**
 * What an operator sees: `/metrics` scraped after a few real jobs counts exactly what
 * happened (two succeeded, one failed, one cancelled; renders and queue waits timed; HTTP
 * latency by route; open SSE streams), `/readyz` follows the node's dependencies and its
 * shutdown, and every log line about a job carries its generation id.
 */
import { Writable } from 'node:stream';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRetake } from '../src/app.ts';
import { openSse, serveDirectory, startHarness, type Harness } from '../src/api/testing.ts';
import { loadConfig } from '../src/config.ts';
import { eventually } from './support/server-process.ts';
import { scaled } from './support/deadline.ts';

const MEDIA = new URL('./fixtures/media/', import.meta.url).pathname;
let h: Harness;
let media: Awaited<ReturnType<typeof serveDirectory>>;

beforeAll(async () => {
  h = await startHarness({ listen: true, role: 'all', config: { maxAttempts: 1, concurrency: 1 } });
  media = await serveDirectory(MEDIA);
});
afterAll(async () => {
  await h?.close();
  await media?.close();
});

/** The value of one series in Prometheus text, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = /\{(.*)\}/.exec(line)?.[1] ?? '';
    if (Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`))) return Number(line.split(' ').at(-1));
  }
  return undefined;
}

async function queue(body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${h.baseUrl}/api/ai/queue`, {
    method: 'POST', headers: { ...h.auth, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'retake-local', ...body }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { generations: { generation_id: string }[] }).generations[0]!.generation_id;
}

async function statusOf(id: string): Promise<string> {
  return ((await (await fetch(`${h.baseUrl}/api/ai/queue/${id}`, { headers: h.auth })).json()) as { status: string }).status;
}

describe('GET /metrics', () => {
  it('counts the jobs, timings, requests and streams that happened', async () => {
    const stream = await openSse(`${h.baseUrl}/api/events`, h.auth);
    const ok1 = await queue({ prompt: 'sepia', input_video: `${media.url}/portrait.mp4` });
    const ok2 = await queue({ prompt: 'noir', input_video: `${media.url}/portrait.mp4` });
    const bad = await queue({ prompt: 'noir', input_video: `${media.url}/missing.mp4` });
    const gone = await queue({ prompt: 'pastel', input_video: `${media.url}/portrait.mp4` });
    // One worker slot: the last one is still waiting behind the others when it is cancelled.
    expect((await fetch(`${h.baseUrl}/api/ai/queue/${gone}`, { method: 'DELETE', headers: h.auth })).status).toBe(200);
    await eventually(async () => {
      const states = await Promise.all([ok1, ok2, bad].map(statusOf));
      return states.every((s) => ['succeeded', 'failed'].includes(s)) ? states : undefined;
    }, 120_000, 200);
    expect(await Promise.all([ok1, ok2, bad, gone].map(statusOf))).toEqual(['succeeded', 'succeeded', 'failed', 'cancelled']);

    const res = await fetch(`${h.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(sample(text, 'retake_jobs_total', { engine: 'local', outcome: 'succeeded' })).toBe(2);
    expect(sample(text, 'retake_jobs_total', { engine: 'local', outcome: 'failed' })).toBe(1);
    expect(sample(text, 'retake_jobs_total', { engine: 'local', outcome: 'cancelled' })).toBe(1);
    expect(sample(text, 'retake_render_seconds_count', { engine: 'local' })).toBe(2);
    expect(sample(text, 'retake_render_seconds_sum', { engine: 'local' })).toBeGreaterThan(0);
    expect(sample(text, 'retake_queue_wait_seconds_count', { engine: 'local' })).toBe(3);
    expect(sample(text, 'retake_queue_depth', { state: 'queued' })).toBe(0);
    expect(sample(text, 'retake_queue_depth', { state: 'processing' })).toBe(0);
    expect(sample(text, 'retake_http_request_duration_seconds_count', { method: 'POST', route: '/api/ai/queue', status: '200' })).toBe(4);
    expect(sample(text, 'retake_http_request_duration_seconds_count', { method: 'GET', route: '/api/ai/queue/:id' })).toBeGreaterThanOrEqual(4);
    expect(sample(text, 'retake_sse_subscribers')).toBe(1);
    expect(sample(text, 'retake_process_cpu_seconds_total')).toBeGreaterThan(0);

    stream.close();
    await eventually(async () => (sample(await (await fetch(`${h.baseUrl}/metrics`)).text(), 'retake_sse_subscribers') === 0 ? true : undefined), 5000, 50);
  }, scaled(150_000));

  it('shows waiting work as queue depth', async () => {
    const stopped = await startHarness({ role: 'api' });
    try {
      for (let i = 0; i < 3; i++) {
        await stopped.app.inject({
          method: 'POST', url: '/api/ai/queue', headers: stopped.auth,
          payload: { model: 'retake-local', prompt: 'noir', input_video: `${media.url}/portrait.mp4` },
        });
      }
      const text = (await stopped.app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(sample(text, 'retake_queue_depth', { state: 'queued' })).toBe(3);
      expect(sample(text, 'retake_queue_depth', { role: 'api', state: 'queued' })).toBe(3);
    } finally {
      await stopped.close();
    }
  });
});

describe('GET /readyz', () => {
  it('is ready while the store and blobs answer, and 503 once the node drains', async () => {
    const ready = await fetch(`${h.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', role: 'all', blobs: 'disk' });
    const drainer = await startHarness({ role: 'api' });
    try {
      await drainer.retake.stopJobs(0);
      const res = await drainer.app.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ error: { type: 'service_unavailable', detail: 'This node is shutting down' } });
      // Liveness stays cheap and green: the process is fine, it is just leaving.
      expect((await drainer.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await drainer.close();
    }
  });
});

describe('logs', () => {
  it('carry the generation id on every line about a job', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const dataDir = await mkdtemp(join(tmpdir(), 'retake-logs-'));
    const retake = await createRetake(
      loadConfig({ dataDir, allowPrivateUrls: true, maxAttempts: 1 }, {}),
      { role: 'all', logger: pino({ level: 'info' }, sink), pollMs: 20 },
    );
    try {
      const { key } = await retake.keys.create({ name: 'logs', hdrAccess: false });
      const [ok] = await retake.generations.submit({ key, model: 'retake-local', body: { prompt: 'sepia', input_video: `${media.url}/portrait.mp4` } });
      const [bad] = await retake.generations.submit({ key, model: 'retake-local', body: { prompt: 'sepia', input_video: `${media.url}/missing.mp4` } });
      await retake.generations.waitForTerminal(ok!.id, 120_000);
      await retake.generations.waitForTerminal(bad!.id, 120_000);
      const about = (id: string) => lines.filter((l) => JSON.stringify(l).includes(id));
      expect(about(ok!.id).map((l) => l.msg)).toEqual(['generation started', 'generation succeeded']);
      expect(about(bad!.id).map((l) => l.msg)).toEqual(['generation started', 'generation attempt failed']);
      for (const line of [...about(ok!.id), ...about(bad!.id)]) expect([ok!.id, bad!.id]).toContain(line.generation_id);
    } finally {
      await retake.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, scaled(150_000));
});
