/**
 * A server killed with SIGKILL mid-render loses nothing: after a restart on the same
 * data directory the job is claimed again once its lease expires, finishes once, keeps
 * its one row and its one charge, and the leftover work files of the dead attempt go.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMediaServer, type MediaServer } from './support/media-server.ts';
import { apiCaller, eventually, startServerProcess, type ServerProcess } from './support/server-process.ts';
import { scaled } from './support/deadline.ts';

const KEY = 'rtk_crash_recovery_test_key_000000000000';
let media: MediaServer;
let dataDir: string;
let server: ServerProcess | undefined;

const env = () => ({
  RETAKE_DATA_DIR: dataDir,
  RETAKE_BOOTSTRAP_KEY: KEY,
  RETAKE_ALLOW_PRIVATE_URLS: '1',
  RETAKE_LEASE_MS: '1500',
});

const api = apiCaller(() => server, KEY);

beforeAll(async () => {
  media = await startMediaServer();
  dataDir = await mkdtemp(join(tmpdir(), 'retake-crash-'));
});

afterAll(async () => {
  await server?.stop();
  await media.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('SIGKILL mid-render, then restart', () => {
  it('finishes the job exactly once with no second row or charge', async () => {
    server = await startServerProcess(env());
    const queued = await api('/api/ai/queue', {
      method: 'POST',
      body: JSON.stringify({ model: 'retake-local', prompt: 'film noir', input_video: media.url('flower.mp4'), resolution: '1080p' }),
    });
    const id: string = queued.generations[0].generation_id;

    // Wait until FFmpeg is really rendering, then pull the plug.
    await eventually(async () => {
      const row = await api(`/api/ai/queue/${id}`);
      return row.status === 'processing' && row.progress > 0 ? row : undefined;
    }, 60_000, 50);
    await server.kill();

    server = await startServerProcess(env());
    const done = await eventually(async () => {
      const row = await api(`/api/ai/queue/${id}`);
      return ['succeeded', 'failed', 'cancelled'].includes(row.status) ? row : undefined;
    }, 120_000, 200);

    expect(done.status).toBe('succeeded');
    const video = await fetch(done.result_url);
    expect(video.status).toBe(200);
    expect((await video.arrayBuffer()).byteLength).toBeGreaterThan(10_000);

    const history = await api('/api/ai/generations?page=1&page_size=10');
    expect(history.total_entries).toBe(1);
    expect(history.total_cost).toBe(0);

    // One completion event for the job across both lives of the server.
    const controller = new AbortController();
    const res = await fetch(`${server.baseUrl}/api/events?generation_id=${id}`, {
      headers: { authorization: `Bearer ${KEY}`, 'last-event-id': '0' },
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    let text = '';
    const decoder = new TextDecoder();
    while (!text.includes('media_generation_completed')) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      text += decoder.decode(value);
    }
    // Give any duplicate a moment to show up in the replay before counting.
    const extra = await Promise.race([reader.read(), new Promise((r) => setTimeout(() => r(undefined), 300))]);
    if (extra && typeof extra === 'object' && 'value' in extra && extra.value) text += decoder.decode(extra.value as Uint8Array);
    controller.abort();
    expect(text.match(/event: media_generation_completed/g)).toHaveLength(1);
    expect(text.match(/event: media_generation_started/g)?.length).toBe(2);

    // The dead attempt's work directory is gone.
    const tmp = await readdir(join(dataDir, 'blobs', 'tmp')).catch(() => []);
    expect(tmp.filter((n) => n.startsWith(`job-${id}`))).toEqual([]);
  }, scaled(240_000));
});
