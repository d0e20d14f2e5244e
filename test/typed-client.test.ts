/**
 * retake's own typed client (`retake/client`) against a served retake: every method on
 * real renders, errors as RetakeApiError with the catalogue's code, `events()` resuming
 * after the connection is cut mid-stream with each event exactly once, and the
 * generated types matching what the server's OpenAPI document says today.
 */
import { readFile } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../src/api/testing.ts';
import { clientTypesSource } from '../src/client/generate-types.ts';
import { Retake, RetakeApiError, type RetakeEvent } from '../src/client/index.ts';
import { shortClips, type ShortClips } from './support/short-clips.ts';
import { listenOn } from '../src/cli/free-port.ts';

let h: Harness;
let clips: ShortClips;
let retake: Retake;

beforeAll(async () => {
  clips = await shortClips();
  h = await startHarness({ listen: true, role: 'all' });
  retake = new Retake({ baseUrl: h.baseUrl, apiKey: h.secret });
});

afterAll(async () => {
  await h?.close();
  await clips?.close();
});

/** A TCP relay in front of the server whose connections the test can cut. */
async function relay(port: number): Promise<{ url: string; cut(): void; connections(): number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await listenOn(server);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    cut: () => { for (const s of sockets) s.destroy(); },
    connections: () => sockets.size,
    close: () => new Promise((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

describe('the typed client', () => {
  it('generate, queue + wait, get, list, models, estimate and upload', async () => {
    const models = await retake.models();
    expect(models.data?.map((m) => m.id)).toContain('retake-local');

    const estimate = await retake.estimate({ model: 'luma-ray-v3-2-video-to-video', prompt: 'noir', input_video: clips.url('short.mp4'), resolution: '720p' });
    expect(estimate).toMatchObject({ unit_cost: 1.08, currency: 'USD' });

    const sync = await retake.generate({ model: 'retake-local', prompt: 'sepia', input_video: clips.url('short.mp4') });
    expect(sync.videos?.[0]?.url).toMatch(/\/files\/outputs\//);

    const file = await retake.upload(new Blob([await readFile(join(clips.dir, 'short.mp4'))], { type: 'video/mp4' }), 'clip.mp4');
    expect(file).toMatchObject({ content_type: 'video/mp4', url: expect.stringContaining('/files/uploads/') });

    const { generations } = await retake.queue({ model: 'retake-local', prompt: 'pencil sketch', input_video: file.url });
    const id = generations[0]!.generation_id;
    const seen: string[] = [];
    const done = await retake.wait(id, { onEvent: (e) => seen.push(e.type) });
    expect(done).toMatchObject({ generation_id: id, status: 'succeeded', progress: 1 });
    expect(seen).toContain('media_generation_progress');
    expect(seen.at(-1)).toBe('media_generation_completed');
    expect(await retake.get(id)).toEqual(done);
    const list = await retake.list({ status: 'succeeded', limit: 1 });
    expect(list.generations?.map((g) => g.generation_id)).toEqual([id]);
  });

  it('cancel, and errors as RetakeApiError with the catalogue code', async () => {
    const { generations } = await retake.queue({ model: 'retake-local', prompt: 'noir', input_video: clips.url('long.mp4'), resolution: '1080p' });
    const cancelled = await retake.cancel(generations[0]!.generation_id);
    expect(cancelled.status).toBe('cancelled');
    const again = await retake.cancel(generations[0]!.generation_id).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(RetakeApiError);
    expect(again).toMatchObject({ status: 409, type: 'not_cancellable' });

    const invalid = await retake.queue({ model: 'retake-local', prompt: 'noir', input_video: clips.url('short.mp4'), hdr: true }).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ status: 422, type: 'validation_error', fields: [expect.objectContaining({ field: 'resolution' })] });
    const wrongKey = await new Retake({ baseUrl: h.baseUrl, apiKey: 'rtk_nope' }).models().then(() => undefined, (e: unknown) => e);
    // The catalogue is public; a generation is not.
    expect(wrongKey).toBeUndefined();
    await expect(new Retake({ baseUrl: h.baseUrl, apiKey: 'rtk_nope' }).list()).rejects.toMatchObject({ status: 401, type: 'unauthorized' });
    // Compile-time: the request type is the server's schema.
    // @ts-expect-error 4k is not a resolution the schema allows
    void (() => retake.queue({ model: 'retake-local', prompt: 'x', input_video: 'https://example.com/a.mp4', resolution: '4k' }));
  });

  it('events() resumes after the connection is cut mid-stream, each event exactly once', async () => {
    const cuttable = await relay(Number(new URL(h.baseUrl).port));
    const client = new Retake({ baseUrl: cuttable.url, apiKey: h.secret });
    const stop = new AbortController();
    const received: RetakeEvent[] = [];
    const ids: string[] = [];
    const finished = new Set<string>();
    let cuts = 0;
    const reading = (async () => {
      for await (const event of client.events({ signal: stop.signal, retryMs: 50 })) {
        received.push(event);
        if (event.type === 'media_generation_completed') finished.add(event.data.generation_id);
        // Cut twice while renders are under way.
        if ((received.length === 3 || received.length === 8) && cuts < 2) {
          cuts++;
          cuttable.cut();
        }
        if (ids.length === 2 && ids.every((id) => finished.has(id))) break;
      }
    })();
    while (cuttable.connections() === 0) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 100));
    for (const prompt of ['watercolor', 'neon']) {
      const { generations } = await retake.queue({ model: 'retake-local', prompt, input_video: clips.url('short.mp4') });
      ids.push(generations[0]!.generation_id);
    }
    await reading;
    stop.abort();
    await cuttable.close();
    expect(cuts).toBe(2);
    const stored = (await h.retake.store.events.listAfter(h.key.id, 0)).filter((e) => ids.includes(e.generation_id));
    expect(received.filter((e) => ids.includes(e.data.generation_id)).map((e) => e.id)).toEqual(stored.map((e) => e.id));
  });

  it('its generated types match the OpenAPI document the server serves', async () => {
    const committed = await readFile(new URL('../src/client/api-types.ts', import.meta.url), 'utf8');
    const served = await (await fetch(`${h.baseUrl}/openapi.json`)).json() as Record<string, unknown>;
    expect(await clientTypesSource(served), 'src/client/api-types.ts is stale: run npm run build:client-types').toBe(committed);
  });
});
