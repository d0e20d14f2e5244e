/**
 * SSE over a listening server: headers, keep-alive, Last-Event-ID replay exactly once
 * while events keep being published, the generation filter, and a real job's events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSse, serveDirectory, startHarness, type Harness, type SseFrame } from '../src/api/testing.ts';
import { eventually } from './support/server-process.ts';

let h: Harness;
let media: Awaited<ReturnType<typeof serveDirectory>>;
beforeAll(async () => {
  h = await startHarness({ listen: true, role: 'all', config: { keepAliveMs: 40, maxAttempts: 1 } });
  media = await serveDirectory(new URL('./fixtures/media/', import.meta.url).pathname);
});
afterAll(async () => {
  await h.close();
  await media.close();
});

const publish = (generationId: string, n: number) =>
  h.retake.events.publish({
    key_id: h.key.id, generation_id: generationId, type: 'media_generation_progress',
    data: { generation_id: generationId, progress: n / 100, stage: 'rendering' },
  });

const openStreams = async (): Promise<number> => {
  const line = (await h.retake.metrics.scrape()).body.split('\n').find((l) => /^retake_sse_subscribers[ {]/.test(l));
  return Number(line?.split(' ').at(-1));
};

const ids = (frames: SseFrame[]) => frames.filter((f) => f.id !== undefined).map((f) => Number(f.id));

describe('GET /api/events', () => {
  it('streams with SSE headers and keep-alive comments', async () => {
    const sse = await openSse(`${h.baseUrl}/api/events`, h.auth);
    try {
      expect(sse.status).toBe(200);
      expect(sse.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(sse.headers['cache-control']).toBe('no-cache');
      expect(sse.headers['x-accel-buffering']).toBe('no');
      expect(sse.headers['content-encoding']).toBeUndefined();
      await sse.waitFor((f) => f.comment === 'keep-alive', 2000);
    } finally {
      sse.close();
    }
  });

  it('sends each event and the keep-alives to every stream of a key, also to one opened after all others closed', async () => {
    const streams = await Promise.all([1, 2, 3].map(() => openSse(`${h.baseUrl}/api/events`, h.auth)));
    const sent = await publish('gen-many', 5);
    for (const sse of streams) {
      const got = await sse.waitFor((f) => f.id === String(sent.id));
      expect(JSON.parse(got.data!)).toEqual(sent.data);
      await sse.waitFor((f) => f.comment === 'keep-alive');
    }
    for (const sse of streams) sse.close();
    // The scope's keep-alive timer stops with its last stream; a new stream starts it again.
    await eventually(async () => ((await openStreams()) === 0 ? true : undefined), 10_000, 20);
    const late = await openSse(`${h.baseUrl}/api/events`, h.auth);
    try {
      await late.waitFor((f) => f.comment === 'keep-alive', 5000);
    } finally {
      late.close();
    }
  });

  it('needs a key', async () => {
    const sse = await openSse(`${h.baseUrl}/api/events`, {});
    sse.close();
    expect(sse.status).toBe(401);
  });

  it('replays after Last-Event-ID exactly once, in order, with events published during the replay', async () => {
    const seen = [await publish('gen-replay', 0), await publish('gen-replay', 1), await publish('gen-replay', 2)];
    const store = h.retake.store.events;
    const original = store.listAfter.bind(store);
    const during: number[] = [];
    // Stall the replay read: one event lands before the snapshot (it is both replayed and
    // delivered live), one after it (delivered live only, while the replay is written).
    store.listAfter = async (...args) => {
      store.listAfter = original;
      during.push((await publish('gen-replay', 3)).id);
      const rows = await original(...args);
      during.push((await publish('gen-replay', 4)).id);
      return rows;
    };
    const sse = await openSse(`${h.baseUrl}/api/events`, { ...h.auth, 'last-event-id': String(seen[0]!.id) });
    try {
      await sse.waitFor((f) => Number(f.id) === during[1]);
      const after = await publish('gen-replay', 5);
      await sse.waitFor((f) => Number(f.id) === after.id);
      expect(ids(sse.frames)).toEqual([seen[1]!.id, seen[2]!.id, ...during, after.id]);
      const frame = sse.frames.find((f) => f.id !== undefined)!;
      expect(frame.event).toBe('media_generation_progress');
      expect(JSON.parse(frame.data!)).toMatchObject({ generation_id: 'gen-replay', progress: 0.01, stage: 'rendering' });
    } finally {
      store.listAfter = original;
      sse.close();
    }
  });

  it('accepts the id as a last_event_id query parameter and filters by generation', async () => {
    const a = await publish('gen-a', 1);
    await publish('gen-b', 1);
    const a2 = await publish('gen-a', 2);
    const sse = await openSse(`${h.baseUrl}/api/events?generation_id=gen-a&last_event_id=${a.id - 1}`, h.auth);
    await sse.waitFor((f) => Number(f.id) === a2.id);
    sse.close();
    expect(ids(sse.frames)).toEqual([a.id, a2.id]);
  });

  it("carries a real job's events through to completion", async () => {
    const sse = await openSse(`${h.baseUrl}/api/events`, h.auth);
    try {
      const res = await fetch(`${h.baseUrl}/api/ai/queue`, {
        method: 'POST',
        headers: { ...h.auth, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'retake-local', prompt: 'film noir', input_video: `${media.url}/flower.mp4` }),
      });
      const id = (await res.json()).generations[0].generation_id as string;
      const done = await sse.waitFor((f) => f.event === 'media_generation_completed' && f.data!.includes(id), 90_000);
      expect(JSON.parse(done.data!)).toMatchObject({ generation_id: id, status: 'succeeded', media_type: 'video', model: 'retake-local' });
      expect(sse.frames.some((f) => f.event === 'media_generation_started')).toBe(true);
      const url = JSON.parse(done.data!).url as string;
      const video = await fetch(url, { headers: { range: 'bytes=0-7' } });
      expect(video.status).toBe(206);
      expect(Buffer.from(await video.arrayBuffer()).subarray(4, 8).toString()).toBe('ftyp');
    } finally {
      sse.close();
    }
  });
});
