/**
 * The hub's documented calls, unchanged but for the base URL, key and model, against a
 * real `retake serve` process on the embedded defaults: the sync call returns a video of
 * the requested size and length; the async flow (events, queue, poll) ends in
 * `media_generation_completed`; a queued job can be cancelled; and the common mistakes
 * get the statuses a client expects.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSse } from '../src/api/testing.ts';
import { startMediaServer, type MediaServer } from './support/media-server.ts';
import { eventually, startServerProcess, type ServerProcess } from './support/server-process.ts';

const KEY = 'rtk_hub_flow_test_key_00000000000000000000';
let media: MediaServer;
let dataDir: string;
let server: ServerProcess;

const auth = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const post = (path: string, body: unknown, headers: Record<string, string> = auth) =>
  fetch(`${server.baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
const get = async (path: string) => (await fetch(`${server.baseUrl}${path}`, { headers: auth })).json();

beforeAll(async () => {
  media = await startMediaServer();
  dataDir = await mkdtemp(join(tmpdir(), 'retake-hub-'));
  server = await startServerProcess({ RETAKE_DATA_DIR: dataDir, RETAKE_BOOTSTRAP_KEY: KEY, RETAKE_ALLOW_PRIVATE_URLS: '1' });
});

afterAll(async () => {
  await server?.stop();
  await media.close();
  await rm(dataDir, { recursive: true, force: true });
});

function probe(path: string): { width: number; height: number; duration: number; codec: string } {
  const out = JSON.parse(
    execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height,codec_name:format=duration', '-of', 'json', path]).toString(),
  );
  return { width: out.streams[0].width, height: out.streams[0].height, codec: out.streams[0].codec_name, duration: Number(out.format.duration) };
}

describe("the hub's calls against retake", () => {
  it('sync: returns {model, created, videos:[{url}]} whose URL downloads an MP4 of the requested size and length', async () => {
    const res = await post('/api/ai/videos/generate', {
      model: 'retake-local', prompt: 'sepia vintage film', input_video: media.url('flower.mp4'), resolution: '540p', duration: '5s',
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ model: 'retake-local', videos: [{ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/files\//) }] });
    expect(Math.abs(body.created - Date.now() / 1000)).toBeLessThan(120);
    const file = join(dataDir, 'downloaded.mp4');
    await writeFile(file, Buffer.from(await (await fetch(body.videos[0].url)).arrayBuffer()));
    const facts = probe(file);
    expect(facts.codec).toBe('h264');
    expect(Math.min(facts.width, facts.height)).toBe(540);
    expect(facts.width).toBe(960);
    expect(facts.duration).toBeGreaterThan(4.8);
    expect(facts.duration).toBeLessThan(5.2);
  });

  it('async: events + queue + poll end in succeeded and media_generation_completed for that id', async () => {
    const events = await openSse(`${server.baseUrl}/api/events`, { authorization: `Bearer ${KEY}` });
    try {
      const res = await post('/api/ai/queue', { model: 'retake-local', prompt: 'film noir', input_video: media.url('portrait.mp4') });
      expect(res.status).toBe(200);
      const { generations } = await res.json();
      expect(generations).toEqual([{ generation_id: expect.any(String), status: 'queued' }]);
      const id: string = generations[0].generation_id;
      const row = await eventually(async () => {
        const r = await get(`/api/ai/queue/${id}`);
        return r.status === 'succeeded' || r.status === 'failed' ? r : undefined;
      }, 60_000, 100);
      expect(row).toMatchObject({ generation_id: id, model_name: 'retake-local', media_type: 'video', status: 'succeeded', prompt: 'film noir', progress: 1 });
      expect(row.result_url).toMatch(/\.mp4$/);
      const done = await events.waitFor((f) => f.event === 'media_generation_completed' && f.data?.includes(id) === true);
      expect(JSON.parse(done.data!)).toMatchObject({ generation_id: id, status: 'succeeded', media_type: 'video', model: 'retake-local', url: row.result_url });
      expect(events.frames.some((f) => f.event === 'media_generation_progress' && f.data?.includes(id))).toBe(true);
    } finally {
      events.close();
    }
  });

  it('DELETE on a queued job answers cancelled and the job never runs', async () => {
    // One worker slot: the first job renders while the second waits in the queue.
    const first = await (await post('/api/ai/queue', { model: 'retake-local', prompt: 'noir', input_video: media.url('flower.mp4'), resolution: '1080p' })).json();
    const second = await (await post('/api/ai/queue', { model: 'retake-local', prompt: 'noir', input_video: media.url('flower.mp4') })).json();
    const id: string = second.generations[0].generation_id;
    const res = await fetch(`${server.baseUrl}/api/ai/queue/${id}`, { method: 'DELETE', headers: auth });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ generation_id: id, status: 'cancelled', started_at: null });
    await eventually(async () => {
      const r = await get(`/api/ai/queue/${first.generations[0].generation_id}`);
      return r.status === 'succeeded' ? r : undefined;
    }, 60_000, 200);
    expect(await get(`/api/ai/queue/${id}`)).toMatchObject({ status: 'cancelled', started_at: null, result_url: null });
    const again = await fetch(`${server.baseUrl}/api/ai/queue/${id}`, { method: 'DELETE', headers: auth });
    expect(again.status).toBe(409);
  });

  it('401 without a key, 404 for an unknown model, 422 for each cross-field rule', async () => {
    const body = { model: 'retake-local', prompt: 'noir', input_video: media.url('flower.mp4') };
    const anonymous = await post('/api/ai/queue', body, { 'content-type': 'application/json' });
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error.type).toBe('unauthorized');

    const unknown = await post('/api/ai/queue', { ...body, model: 'x' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ status: 'error', error: { type: 'model_not_found', detail: 'Model not found: x' } });

    const rules: [object, string][] = [
      [{ auto_controls: true, edit_strength: 'flex_1' }, 'edit_strength'],
      [{ hdr: true, resolution: '540p' }, 'resolution'],
      [{ exr_export: true }, 'exr_export'],
    ];
    for (const [extra, field] of rules) {
      const res = await post('/api/ai/queue', { ...body, ...extra });
      expect(res.status).toBe(422);
      const err = (await res.json()).error;
      expect(err.type).toBe('validation_error');
      expect(err.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    expect((await get('/api/ai/queue?status=queued')).count).toBe(0);
  });
});
