/**
 * A worker has no API port, so `--metrics-port` gives it an operator port: after a job
 * that worker rendered, its `/metrics` counts the outcome and the render time, `/readyz`
 * turns 503 as soon as SIGTERM starts its drain, and no API route is reachable there.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/cli/free-port.ts';
import { startMediaServer, type MediaServer } from './support/media-server.ts';
import { apiCaller, eventually, startServerProcess, type ServerProcess } from './support/server-process.ts';
import { scaled } from './support/deadline.ts';

const KEY = 'rtk_worker_metrics_port_test_key_000000';
let media: MediaServer;
let dataDir: string;
let apiNode: ServerProcess | undefined;
let worker: ServerProcess | undefined;
const api = apiCaller(() => apiNode, KEY);

beforeAll(async () => {
  media = await startMediaServer();
  dataDir = await mkdtemp(join(tmpdir(), 'retake-worker-metrics-'));
  const env = {
    RETAKE_DATA_DIR: dataDir, RETAKE_BOOTSTRAP_KEY: KEY, RETAKE_ALLOW_PRIVATE_URLS: '1', RETAKE_MAX_ATTEMPTS: '1',
    // The drain must still be running when /readyz is asked, and let the render finish.
    RETAKE_SHUTDOWN_MS: String(scaled(120_000)),
  };
  apiNode = await startServerProcess(env, undefined, ['--role', 'api']);
  const metricsPort = await freePort('127.0.0.1');
  worker = await startServerProcess(env, metricsPort, ['--role', 'worker', '--metrics-port', String(metricsPort)]);
}, scaled(120_000));
afterAll(async () => {
  await worker?.stop();
  await apiNode?.stop();
  await media?.close();
  await rm(dataDir, { recursive: true, force: true });
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
  const queued = await api('/api/ai/queue', { method: 'POST', body: JSON.stringify({ model: 'retake-local', ...body }) });
  return queued.generations[0].generation_id as string;
}

describe('retake serve --role worker --metrics-port', () => {
  it('serves the worker\'s own metrics and readiness, and nothing else', async () => {
    const ready = await fetch(`${worker!.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', role: 'worker' });
    expect(worker!.output()).toMatch(/metrics on http:\/\/127\.0\.0\.1:\d+\/metrics/);
    // Operational data only: the API is not there, with or without a key.
    const models = await fetch(`${worker!.baseUrl}/api/ai/models`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(models.status).toBe(404);
    expect((await fetch(`${worker!.baseUrl}/api/ai/queue`, { method: 'POST' })).status).toBe(404);

    const id = await queue({ prompt: 'sepia', input_video: media.url('portrait.mp4') });
    const row = await eventually(async () => {
      const r = await api(`/api/ai/queue/${id}`);
      return r.status === 'succeeded' || r.status === 'failed' ? r : undefined;
    }, 100_000, 200);
    expect(row.status).toBe('succeeded');

    const res = await fetch(`${worker!.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(sample(text, 'retake_jobs_total', { engine: 'local', outcome: 'succeeded' })).toBe(1);
    expect(sample(text, 'retake_render_seconds_count', { engine: 'local' })).toBe(1);
    expect(sample(text, 'retake_render_seconds_sum', { engine: 'local' })).toBeGreaterThan(0);
    // The render happened on the worker: the API node timed none.
    const apiText = await (await fetch(`${apiNode!.baseUrl}/metrics`)).text();
    expect(sample(apiText, 'retake_render_seconds_count', { engine: 'local' }) ?? 0).toBe(0);
  }, scaled(150_000));

  it('answers 503 on /readyz once SIGTERM starts the drain', async () => {
    // A render that takes seconds keeps the draining worker up while it is asked.
    const id = await queue({ prompt: 'watercolor', input_video: media.url('flower.mp4'), resolution: '540p' });
    await eventually(async () => {
      const r = await api(`/api/ai/queue/${id}`);
      return r.status === 'processing' ? r : undefined;
    }, 60_000, 50);
    const exited = new Promise<number | null>((resolve) => worker!.child.once('exit', (code) => resolve(code)));
    worker!.child.kill('SIGTERM');
    const status = await eventually(async () => {
      const res = await fetch(`${worker!.baseUrl}/readyz`);
      return res.status === 503 ? res.status : undefined;
    }, 10_000, 20);
    expect(status).toBe(503);
    expect(worker!.child.exitCode).toBeNull();
    // The drain lets the render finish, then the process leaves cleanly.
    expect(await exited).toBe(0);
    expect((await api(`/api/ai/queue/${id}`)).status).toBe('succeeded');
  }, scaled(200_000));
});
