/**
 * The synchronous endpoint and the queue over a listening server with real jobs: the
 * hub's answer shape, base64 output, failures with their code's status, and a client
 * that hangs up while its generation keeps running to success.
 */
import { request } from 'node:http';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDirectory, startHarness, type Harness } from '../src/api/testing.ts';

const MEDIA = new URL('./fixtures/media/', import.meta.url).pathname;
let h: Harness;
let media: Awaited<ReturnType<typeof serveDirectory>>;
beforeAll(async () => {
  h = await startHarness({ listen: true, role: 'all', config: { maxAttempts: 1 } });
  media = await serveDirectory(MEDIA);
});
afterAll(async () => {
  await h.close();
  await media.close();
});

const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${h.baseUrl}${path}`, {
    method, headers: { ...h.auth, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : null,
  });
  return { status: res.status, body: await res.json() };
};

describe('POST /api/ai/videos/generate', () => {
  it('holds the connection and answers with the video URL', async () => {
    const res = await api('POST', '/api/ai/videos/generate', { model: 'retake-local', prompt: 'sepia vintage', input_video: `${media.url}/flower.mp4` });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ model: 'retake-local', created: expect.any(Number), generation_id: expect.any(String), videos: [{ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/files\/outputs\//) }] });
    expect(Math.abs(res.body.created - Date.now() / 1000)).toBeLessThan(120);
    const row = await api('GET', `/api/ai/queue/${res.body.generation_id}`);
    expect(row.body).toMatchObject({ status: 'succeeded', result_url: res.body.videos[0].url, media_type: 'video', input_video: `${media.url}/flower.mp4`, resolution: '540p', progress: 1 });
  });

  it('inlines the video as base64 when asked', async () => {
    const res = await api('POST', '/api/ai/videos/generate', { model: 'retake-local', prompt: 'pencil sketch', input_video: `${media.url}/portrait.mp4`, response_format: 'b64_json' });
    expect(res.status).toBe(200);
    const bytes = Buffer.from(res.body.videos[0].b64_json as string, 'base64');
    const row = (await api('GET', `/api/ai/generations/${res.body.generation_id}`)).body.generation;
    const served = Buffer.from(await (await fetch(row.result_url)).arrayBuffer());
    expect(bytes.equals(served)).toBe(true);
  });

  it("answers a failed generation with its error code's status and the envelope", async () => {
    const res = await api('POST', '/api/ai/videos/generate', { model: 'retake-local', prompt: 'noir', input_video: `${media.url}/missing.mp4` });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ status: 'error', error: { type: expect.stringMatching(/^input_/) } });
  });

  it('keeps running a generation whose client hung up', async () => {
    const before = (await api('GET', '/api/ai/queue')).body.count as number;
    const req = request(`${h.baseUrl}/api/ai/videos/generate`, { method: 'POST', headers: { ...h.auth, 'content-type': 'application/json' } });
    req.on('error', () => undefined);
    req.end(JSON.stringify({ model: 'retake-local', prompt: 'sepia', resolution: '540p', input_video: `${media.url}/flower.mp4` }));
    let id: string | undefined;
    for (let i = 0; i < 200 && !id; i++) {
      const list = await api('GET', '/api/ai/queue');
      if (list.body.count > before) id = list.body.generations[0].generation_id;
      else await new Promise((r) => setTimeout(r, 20));
    }
    expect(id).toBeDefined();
    expect(['queued', 'processing']).toContain((await h.retake.store.generations.get(id!))?.status);
    req.destroy();
    const done = await h.retake.generations.waitForTerminal(id!, 90_000);
    expect(done.status).toBe('succeeded');
    const history = await api('GET', '/api/ai/generations?page=1&page_size=50');
    expect(history.body.generations.map((g: { generation_id: string }) => g.generation_id)).toContain(id);
  });
});

describe('queue and history', () => {
  it('queues, lists newest first with filters, pages the history, and cancels', async () => {
    const queued = await api('POST', '/api/ai/queue', { model: 'retake-local', prompt: 'pop art', input_video: `${media.url}/portrait.mp4`, num_generations: 3 });
    expect(queued.status).toBe(200);
    expect(queued.body.generations).toHaveLength(3);
    expect(queued.body.generations.every((g: { status: string }) => g.status === 'queued')).toBe(true);
    const [a] = queued.body.generations as { generation_id: string }[];
    const cancelled = await api('DELETE', `/api/ai/queue/${a!.generation_id}`);
    if (cancelled.status === 200) {
      expect(cancelled.body).toMatchObject({ generation_id: a!.generation_id, status: 'cancelled' });
      expect((await api('DELETE', `/api/ai/queue/${a!.generation_id}`)).body.error.type).toBe('not_cancellable');
    } else {
      // The worker was quicker: a finished generation can no longer be cancelled.
      expect(cancelled.body.error.type).toBe('not_cancellable');
    }
    const filtered = await api('GET', '/api/ai/queue?status=cancelled');
    expect(filtered.body.generations.every((g: { status: string }) => g.status === 'cancelled')).toBe(true);
    const page = await api('GET', '/api/ai/generations?page=2&page_size=2');
    expect(page.body).toMatchObject({ page_number: 2, page_size: 2, total_cost: 0, count: 2 });
    expect(page.body.total_pages).toBe(Math.ceil(page.body.total_entries / 2));
    const huge = await api('GET', '/api/ai/generations?page=1e300');
    expect(huge.status).toBe(422);
    expect(huge.body.error.type).toBe('validation_error');
    expect(JSON.stringify(huge.body.error)).toMatch(/page/);
    const all = await api('GET', '/api/ai/queue');
    const times = (all.body.generations as { enqueued_at: string }[]).map((g) => Date.parse(g.enqueued_at));
    expect([...times].sort((x, y) => y - x)).toEqual(times);
  });

  it("hides another key's generations", async () => {
    const mine = (await api('GET', '/api/ai/queue')).body.generations[0].generation_id as string;
    const other = await h.retake.keys.create({ name: 'stranger' });
    const res = await fetch(`${h.baseUrl}/api/ai/queue/${mine}`, { headers: { authorization: `Bearer ${other.secret}` } });
    expect(res.status).toBe(404);
    expect((await res.json()).error.type).toBe('generation_not_found');
    const del = await fetch(`${h.baseUrl}/api/ai/queue/${mine}`, { method: 'DELETE', headers: { authorization: `Bearer ${other.secret}` } });
    expect(del.status).toBe(404);
  });

  it('accepts its own upload URL as input_video', async () => {
    const form = new FormData();
    form.append('file', new Blob([await readFile(`${MEDIA}/portrait.mp4`)], { type: 'video/mp4' }), 'portrait.mp4');
    const up = await fetch(`${h.baseUrl}/api/files`, { method: 'POST', headers: h.auth, body: form });
    expect(up.status).toBe(201);
    const { url } = await up.json();
    const res = await api('POST', '/api/ai/videos/generate', { model: 'retake-local', prompt: 'cartoon', input_video: url });
    expect(res.status).toBe(200);
  });
});
