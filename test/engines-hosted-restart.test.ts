/**
 * A worker SIGKILLed after it submitted a paid fal request, then restarted on the same
 * data directory, follows that request to the end: the fal stand-in counts exactly one
 * submission, and the generation succeeds once with one charge.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFalStandin, type FalStandin } from './support/fal-standin.ts';
import { startMediaServer, type MediaServer } from './support/media-server.ts';
import { apiCaller, eventually, startServerProcess, type ServerProcess } from './support/server-process.ts';
import { scaled } from './support/deadline.ts';

const KEY = 'rtk_hosted_restart_test_key_0000000000000';
let fal: FalStandin;
let media: MediaServer;
let dataDir: string;
let server: ServerProcess | undefined;

const env = () => ({
  RETAKE_DATA_DIR: dataDir,
  RETAKE_BOOTSTRAP_KEY: KEY,
  RETAKE_ALLOW_PRIVATE_URLS: '1',
  RETAKE_LEASE_MS: '1500',
  FAL_KEY: fal.key,
  RETAKE_FAL_QUEUE_URL: fal.url,
  RETAKE_FAL_STORAGE_URL: fal.storageUrl,
});

const api = apiCaller(() => server, KEY);

beforeAll(async () => {
  [fal, media] = await Promise.all([startFalStandin(), startMediaServer()]);
  dataDir = await mkdtemp(join(tmpdir(), 'retake-hosted-restart-'));
});
afterAll(async () => {
  await server?.stop();
  await Promise.all([fal.close(), media.close()]);
  await rm(dataDir, { recursive: true, force: true });
});

describe('hosted job across a worker crash', () => {
  it('submits once and finishes after a restart', async () => {
    fal.script.hold = true;
    server = await startServerProcess(env());
    const queued = await api('/api/ai/queue', {
      method: 'POST',
      body: JSON.stringify({ model: 'luma-ray-v3-2-video-to-video', prompt: 'charcoal', input_video: media.url('flower.mp4') }),
    });
    const id: string = queued.generations[0].generation_id;

    // A status poll comes after the checkpoint write: the request id is durable now.
    await eventually(async () => (fal.calls.some((c) => c.route === 'status') ? true : undefined), 30_000, 20);
    await server.kill();
    expect(fal.submissions).toHaveLength(1);

    fal.script.hold = false;
    fal.script.queuedPolls = 0;
    fal.script.progressPolls = 0;
    server = await startServerProcess(env());
    const done = await eventually(async () => {
      const row = await api(`/api/ai/queue/${id}`);
      return ['succeeded', 'failed', 'cancelled'].includes(row.status) ? row : undefined;
    }, 60_000, 100);

    expect(done).toMatchObject({ status: 'succeeded', cost: 0.72 });
    expect(fal.submissions).toHaveLength(1);
    expect(fal.calls.filter((c) => c.route === 'submit')).toHaveLength(1);
    expect(fal.submissions[0]!.cancelled).toBe(false);
    const video = await fetch(done.result_url);
    expect(video.status).toBe(200);
    const history = await api('/api/ai/generations?page=1&page_size=10');
    expect(history).toMatchObject({ total_entries: 1, total_cost: 0.72 });
  }, scaled(120_000));
});
