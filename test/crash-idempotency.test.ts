/**
 * An Idempotency-Key outlives a crash. A sync generate with a key, the server SIGKILLed
 * mid-render and restarted: before the fix every retry answered 409
 * `idempotency_in_progress` forever (the claim had no owner and no expiry), though the
 * generation went on to succeed. Now the claim lapses one lease after its server died,
 * the retry takes it over and answers with the same generation's video; nothing runs
 * or is charged twice. The same holds for a Replicate-style blocking prediction
 * (`Prefer: wait`), which before took the claim over by creating a second generation.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMediaServer, type MediaServer } from './support/media-server.ts';
import { apiCaller, eventually, startServerProcess, type ServerProcess } from './support/server-process.ts';
import { scaled } from './support/deadline.ts';

const KEY = 'rtk_crash_idempotency_test_key_000000000';
let media: MediaServer;
let dataDir: string;
let server: ServerProcess | undefined;
const api = apiCaller(() => server, KEY);

const env = () => ({ RETAKE_DATA_DIR: dataDir, RETAKE_BOOTSTRAP_KEY: KEY, RETAKE_ALLOW_PRIVATE_URLS: '1', RETAKE_LEASE_MS: '1500' });

beforeAll(async () => {
  media = await startMediaServer();
  dataDir = await mkdtemp(join(tmpdir(), 'retake-idem-crash-'));
});
afterAll(async () => {
  await server?.stop();
  await media.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('sync generate with an Idempotency-Key across a SIGKILL', () => {
  it('answers the retry with the generation that finished, once', async () => {
    server = await startServerProcess(env());
    const body = JSON.stringify({ model: 'retake-local', prompt: 'film noir', input_video: media.url('flower.mp4'), resolution: '720p' });
    const call = (base: string) => fetch(`${base}/api/ai/videos/generate`, {
      method: 'POST', body,
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'idempotency-key': 'sync-crash-1' },
    });
    const first = call(server.baseUrl).catch(() => undefined);
    const running = await eventually(async () => {
      const list = await api('/api/ai/queue');
      const row = list.generations?.[0];
      return row?.status === 'processing' && row.progress > 0 ? row : undefined;
    }, 60_000, 50);
    await server.kill();
    await first;

    server = await startServerProcess(env());
    const statuses: number[] = [];
    const answer = await eventually(async () => {
      const res = await call(server!.baseUrl);
      statuses.push(res.status);
      if (res.status === 409) {
        expect((await res.json()).error.type).toBe('idempotency_in_progress');
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        return undefined;
      }
      return { status: res.status, body: await res.json() };
    }, 180_000, 300);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.generation_id).toBe(running.generation_id);
    expect((await fetch(answer.body.videos[0].url)).status).toBe(200);

    // Once answered, the key replays; and there is one generation, charged once.
    const replay = await call(server.baseUrl);
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const history = await api('/api/ai/generations?page=1&page_size=10');
    expect(history.total_entries).toBe(1);
  }, scaled(300_000));
});

describe('Replicate blocking prediction with an Idempotency-Key across a SIGKILL', () => {
  it('answers the retry with the same prediction, and creates no second generation', async () => {
    await server?.stop();
    server = await startServerProcess(env());
    const before = (await api('/api/ai/generations?page=1&page_size=50')).total_entries as number;
    const body = JSON.stringify({ input: { prompt: 'watercolor', input_video: media.url('flower.mp4'), resolution: '720p' } });
    const call = (base: string) => fetch(`${base}/v1/models/retake/retake-local/predictions`, {
      method: 'POST', body,
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'idempotency-key': 'prediction-crash-1', prefer: 'wait=60' },
    });
    const first = call(server.baseUrl).catch(() => undefined);
    const running = await eventually(async () => {
      const row = (await api('/api/ai/queue')).generations?.find((g: { prompt: string }) => g.prompt === 'watercolor');
      return row?.status === 'processing' && row.progress > 0 ? row : undefined;
    }, 60_000, 50);
    await server.kill();
    await first;

    server = await startServerProcess(env());
    const answer = await eventually(async () => {
      const res = await call(server!.baseUrl);
      if (res.status === 409) return undefined;
      return { status: res.status, body: await res.json() };
    }, 180_000, 300);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body.id).toBe(running.generation_id);
    const history = await api('/api/ai/generations?page=1&page_size=50');
    expect(history.total_entries).toBe(before + 1);
  }, scaled(300_000));
});
