/**
 * A server killed with SIGKILL in the middle of a guided render (input_image) loses
 * nothing and leaves nothing running: the guided child (its mapping threads) and the
 * decoder and encoder piped to it die with the server within a second; after a restart
 * the job is claimed again, learns from the keyframe again and finishes once, in guided
 * mode, with one row and no work files of the dead attempt.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EFFECTS } from './support/guided-fixtures.ts';
import { MEDIA_DIR, startMediaServer, type MediaServer } from './support/media-server.ts';
import { apiCaller, eventually, processesMentioning, startServerProcess, type ServerProcess } from './support/server-process.ts';
import { scaled } from './support/deadline.ts';

const KEY = 'rtk_crash_guided_test_key_00000000000000';
let media: MediaServer;
let dataDir: string;
let server: ServerProcess | undefined;
const api = apiCaller(() => server, KEY);
const env = (): Record<string, string> => ({
  RETAKE_DATA_DIR: dataDir, RETAKE_BOOTSTRAP_KEY: KEY, RETAKE_ALLOW_PRIVATE_URLS: '1', RETAKE_LEASE_MS: '1500',
});


async function upload(path: string, type: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([await readFile(path)], { type }), path.split('/').pop());
  const res = await fetch(`${server!.baseUrl}/api/files`, { method: 'POST', body: form, headers: { authorization: `Bearer ${KEY}` } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { url: string }).url;
}

beforeAll(async () => {
  media = await startMediaServer();
  dataDir = await mkdtemp(join(tmpdir(), 'retake-crash-guided-'));
});
afterAll(async () => {
  await server?.stop();
  await media.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('SIGKILL during a guided render, then restart', () => {
  it('kills the mapper with the server and finishes the job once, in guided mode', async () => {
    server = await startServerProcess(env());
    const port = Number(new URL(server.baseUrl).port);
    const keyframe = join(dataDir, '..', `${dataDir.split('/').pop()}-sepia.png`);
    execFileSync('ffmpeg', ['-v', 'error', '-i', join(MEDIA_DIR, 'rabbit.mp4'), '-frames:v', '1', '-vf', `format=rgb24,${EFFECTS.sepia}`, '-y', keyframe]);
    const image = await upload(keyframe, 'image/png');
    await rm(keyframe);
    const queued = await api('/api/ai/queue', {
      method: 'POST',
      body: JSON.stringify({ model: 'retake-local', prompt: 'old photograph', input_video: media.url('rabbit.mp4'), input_image: image, resolution: '540p' }),
    });
    const id: string = queued.generations[0].generation_id;

    // Wait until frames are being mapped (the guided child is running), then pull the plug.
    await eventually(async () => {
      const row = await api(`/api/ai/queue/${id}`);
      return row.stage === 'rendering' && row.progress > 0.05 ? row : undefined;
    }, 120_000, 50);
    const running = await processesMentioning(dataDir);
    expect(running.some((cmd) => cmd.includes(' apply '))).toBe(true);
    await server.kill();
    server = undefined;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await processesMentioning(dataDir)).toEqual([]);

    // The same port: the uploaded keyframe's URL names it.
    server = await startServerProcess(env(), port);
    const done = await eventually(async () => {
      const row = await api(`/api/ai/queue/${id}`);
      return ['succeeded', 'failed', 'cancelled'].includes(row.status) ? row : undefined;
    }, 240_000, 200);
    expect(done.status, JSON.stringify(done)).toBe('succeeded');
    expect(done.interpretation.mode).toBe('guided');
    const video = await fetch(done.result_url);
    expect(video.status).toBe(200);
    expect((await video.arrayBuffer()).byteLength).toBeGreaterThan(10_000);

    const history = await api('/api/ai/generations?page=1&page_size=10');
    expect(history.total_entries).toBe(1);
    const tmp = await readdir(join(dataDir, 'blobs', 'tmp')).catch(() => []);
    expect(tmp.filter((n) => n.startsWith(`job-${id}`))).toEqual([]);
  }, scaled(420_000));
});
