/**
 * The three event streams (hub `/api/events`, Replicate's `urls.stream`, fal's status
 * stream) share one writer, against a served retake over real HTTP. With no worker the
 * generations stay queued, so the streams stay open as long as the test wants:
 * - Replicate's stream sends keep-alive comments and ends with `retry:` on shutdown;
 * - a store error behind Replicate's stream ends that stream and nothing else (it was
 *   an unhandled rejection, which ends a served process);
 * - fal's status stream follows the event bus: an idle stream reads nothing, and a
 *   cancel ahead of it moves its queue position at once; positions count the key's
 *   own queue only;
 * - status streams dropped by their clients behind `/fal/proxy` stop (they ran on
 *   until their generation ended).
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openSse, startHarness, type Harness } from '../src/api/testing.ts';
import { eventually } from './support/server-process.ts';
import { shortClips, type ShortClips } from './support/short-clips.ts';

let h: Harness;
let clips: ShortClips;
let other: { secret: string };
let mine: { secret: string };

beforeAll(async () => {
  clips = await shortClips();
  h = await startHarness({ listen: true, role: 'api', config: { keepAliveMs: 150 } });
  other = await h.retake.keys.create({ name: 'other' });
  mine = await h.retake.keys.create({ name: 'mine' });
});

afterAll(async () => {
  await h?.close();
  await clips?.close();
});

const falHeaders = (secret: string) => ({ authorization: `Key ${secret}`, 'content-type': 'application/json' });

async function falSubmit(secret = h.secret): Promise<{ request_id: string; status_url: string; queue_position: number }> {
  const res = await fetch(`${h.baseUrl}/fal/queue/retake/retake-local`, {
    method: 'POST', headers: falHeaders(secret), body: JSON.stringify({ prompt: 'sepia', video_url: clips.url('short.mp4') }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { request_id: string; status_url: string; queue_position: number };
}

async function prediction(): Promise<{ id: string; urls: { stream: string } }> {
  const res = await fetch(`${h.baseUrl}/v1/models/retake/retake-local/predictions`, {
    method: 'POST',
    headers: { ...h.auth, 'content-type': 'application/json' },
    body: JSON.stringify({ input: { prompt: 'noir', input_video: clips.url('short.mp4') } }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; urls: { stream: string } };
}

const sseGauge = async (): Promise<number> => {
  const text = await (await fetch(`${h.baseUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('retake_sse_subscribers{') || l.startsWith('retake_sse_subscribers '));
  return Number(line?.split(' ').at(-1));
};

describe('event streams', () => {
  it('Replicate\'s stream sends keep-alive comments', async () => {
    const { urls } = await prediction();
    const stream = await openSse(urls.stream, {});
    expect(stream.status).toBe(200);
    await stream.waitFor((f) => f.comment === 'keep-alive');
    stream.close();
  });

  it('a store error behind Replicate\'s stream ends that stream; the server goes on', async () => {
    const { urls } = await prediction();
    const failing = vi.spyOn(h.retake.store.events, 'listAfter').mockRejectedValue(new Error('the database went away'));
    try {
      const res = await fetch(urls.stream);
      expect(res.status).toBe(200);
      // The stream ends (an unhandled rejection would fail this test run instead).
      expect(await res.text()).not.toContain('event: done');
    } finally {
      failing.mockRestore();
    }
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
  });

  it('fal\'s status stream reads nothing while idle and moves with the key\'s queue; positions count the key\'s own queue', async () => {
    // Another key's queue is longer, and must not count.
    await falSubmit(other.secret);
    await falSubmit(other.secret);
    const first = await falSubmit(mine.secret);
    const second = await falSubmit(mine.secret);
    expect(first.queue_position).toBe(0);
    expect(second.queue_position).toBe(1);

    const stream = await openSse(`${second.status_url}/stream`, { authorization: `Key ${mine.secret}` });
    const position = (n: number) => (f: { data?: string }) => f.data !== undefined && (JSON.parse(f.data) as { queue_position?: number }).queue_position === n;
    await stream.waitFor(position(1));
    // Idle: no event of the key, so no read of the store (it looked every 250 ms).
    const reads = vi.spyOn(h.retake.store.generations, 'get');
    try {
      await new Promise((r) => setTimeout(r, 1000));
      expect(reads).not.toHaveBeenCalled();
    } finally {
      reads.mockRestore();
    }
    const cancel = await fetch(`${first.status_url.replace(/\/status$/, '')}/cancel`, { method: 'PUT', headers: { authorization: `Key ${mine.secret}` } });
    expect(cancel.status).toBe(202);
    await stream.waitFor(position(0), 10_000);
    stream.close();
  });

  it('status streams dropped by their clients behind /fal/proxy stop', async () => {
    const { status_url: statusUrl } = await falSubmit();
    const target = statusUrl.replace(h.baseUrl, 'https://queue.fal.run').replace('/fal/queue', '');
    const before = await sseGauge();
    const clients = Array.from({ length: 20 }, () => request(`${h.baseUrl}/fal/proxy`, {
      headers: { authorization: `Key ${h.secret}`, 'x-fal-target-url': `${target}/stream` },
    }));
    for (const c of clients) {
      c.on('error', () => undefined);
      c.end();
    }
    await eventually(async () => ((await sseGauge()) === before + 20 ? true : undefined), 20_000, 50);
    for (const c of clients) c.destroy();
    await eventually(async () => ((await sseGauge()) === before ? true : undefined), 20_000, 50);
  });

  it('Replicate\'s stream ends with a retry hint when the server shuts down', async () => {
    const { urls } = await prediction();
    const res = await fetch(urls.stream);
    const reader = res.body!.getReader();
    const text = (async () => {
      let all = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return all;
        all += Buffer.from(value).toString();
      }
    })();
    await h.app.close();
    expect(await text).toMatch(/retry: \d+/);
  });
});
