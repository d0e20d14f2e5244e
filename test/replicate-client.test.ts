/**
 * The official `replicate` client, unchanged but for `baseUrl`, against a served
 * retake rendering real `retake-local` jobs: run() returns the output URL, create +
 * wait + get, cancel mid-render, paging, a file input uploaded through /v1/files, and
 * webhooks that the client's own validateWebhook accepts.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Replicate, { validateWebhook, type ApiError } from 'replicate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../src/api/testing.ts';
import { eventually } from './support/server-process.ts';
import { shortClips, type ShortClips } from './support/short-clips.ts';
import { listenOn } from '../src/cli/free-port.ts';

let h: Harness;
let clips: ShortClips;
let replicate: Replicate;

beforeAll(async () => {
  clips = await shortClips();
  h = await startHarness({ listen: true, role: 'all' });
  replicate = new Replicate({ auth: h.secret, baseUrl: `${h.baseUrl}/v1` });
});

afterAll(async () => {
  await h?.close();
  await clips?.close();
});

const input = (extra: Record<string, unknown> = {}) => ({ prompt: 'film noir', input_video: clips.url('short.mp4'), ...extra });

async function isMp4(url: string): Promise<boolean> {
  const res = await fetch(url);
  const bytes = Buffer.from(await res.arrayBuffer());
  return res.ok && bytes.subarray(4, 8).toString('latin1') === 'ftyp';
}

describe('the replicate client against retake', () => {
  it('run() returns the URL of the rendered video', async () => {
    const output = await replicate.run('retake/retake-local', { input: input() });
    expect(output).toEqual(expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/files\/outputs\/.+\.mp4$/));
    expect(await isMp4(output as unknown as string)).toBe(true);
  });

  it('create, wait and get: starting → succeeded with output, logs and metrics; by version too', async () => {
    const created = await replicate.predictions.create({ model: 'retake/retake-local', input: input() });
    expect(created).toMatchObject({ status: 'starting', model: 'retake/retake-local', output: null, urls: { get: `${h.baseUrl}/v1/predictions/${created.id}` } });
    const done = await replicate.wait(created, { interval: 100 });
    expect(done.status).toBe('succeeded');
    const got = await replicate.predictions.get(created.id);
    expect(got).toMatchObject({ id: created.id, status: 'succeeded', output: done.output, error: null, input: { prompt: 'film noir' } });
    expect(got.logs).toContain('done');
    expect(got.metrics?.predict_time).toBeGreaterThan(0);

    const model = await replicate.models.get('retake', 'retake-local');
    const byVersion = await replicate.run(`retake/retake-local:${model.latest_version!.id}`, { input: input({ prompt: 'sepia' }) });
    expect(await isMp4(byVersion as unknown as string)).toBe(true);
  });

  it('cancel mid-render ends as canceled with no output; Prefer: wait=1 answers starting for a job still running', async () => {
    const long = await replicate.predictions.create({
      model: 'retake/retake-local', input: input({ input_video: clips.url('long.mp4'), resolution: '1080p' }), wait: 1,
    });
    expect(long.status).toBe('starting');
    await eventually(async () => ((await replicate.predictions.get(long.id)).status === 'processing' ? true : undefined), 20_000, 50);
    const canceled = await replicate.predictions.cancel(long.id);
    expect(canceled.status).toBe('canceled');
    expect(await replicate.predictions.get(long.id)).toMatchObject({ status: 'canceled', output: null });
  });

  it('lists every prediction of the key in pages that follow next', async () => {
    const mine = (await replicate.predictions.list()).results.map((p) => p.id);
    expect(mine.length).toBeGreaterThanOrEqual(4);
    const seen: string[] = [];
    let pages = 0;
    for await (const page of replicate.paginate(() => replicate.request('/predictions?page_size=2', { method: 'GET' }).then((r) => r.json()))) {
      pages++;
      expect(page.length).toBeLessThanOrEqual(2);
      seen.push(...(page as { id: string }[]).map((p) => p.id));
    }
    expect(seen).toEqual(mine);
    expect(pages).toBe(Math.ceil(mine.length / 2));
  });

  // Regression: a page of 100 made 101 event queries (one per prediction for its logs).
  it('a page of 100 predictions reads its logs in one query', async () => {
    const { key, secret } = await h.retake.keys.create({ name: 'many' });
    const store = h.retake.store;
    for (let i = 0; i < 100; i++) {
      const row = await store.generations.insert({
        id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, key_id: key.id, model: 'retake-local', prompt: 'noir',
        request: { prompt: 'noir', input_video: clips.url('short.mp4'), resolution: '540p', duration: '5s', hdr: false, exr_export: false, edit_strength: 'flex_2' },
        cost: 0, webhook_url: null, enqueued_at: 1_700_000_000_000 + i,
      });
      await store.events.append({ key_id: key.id, generation_id: row.id, type: 'media_generation_progress', data: { generation_id: row.id, progress: i / 100, stage: 'render' } });
    }
    const calls: string[] = [];
    const restore: (() => void)[] = [];
    for (const [part, methods] of [['events', store.events], ['generations', store.generations]] as const) {
      for (const name of Object.keys(methods) as (keyof typeof methods)[]) {
        const original = methods[name] as (...args: unknown[]) => unknown;
        (methods as Record<string, unknown>)[name] = (...args: unknown[]) => {
          calls.push(`${part}.${String(name)}`);
          return original(...args);
        };
        restore.push(() => ((methods as Record<string, unknown>)[name] = original));
      }
    }
    let page: { results: { id: string; logs: string }[] };
    try {
      page = await new Replicate({ auth: secret, baseUrl: `${h.baseUrl}/v1` }).predictions.list() as typeof page;
    } finally {
      for (const undo of restore) undo();
    }
    expect(page.results).toHaveLength(100);
    expect(calls.filter((c) => c.startsWith('events.'))).toHaveLength(1);
    expect(calls.length).toBeLessThanOrEqual(3);
    // The logs are each prediction's own, as a single read shows them.
    expect(page.results.find((p) => p.id.endsWith('000000000042'))?.logs).toBe('render 42%');
    expect(page.results[0]!.logs).toBe('render 99%');
  });

  it('pages neither repeat nor skip a prediction created while a client pages, and previous leads back', async () => {
    type Page = { results: { id: string }[]; next: string | null; previous: string | null };
    const get = async (route: string): Promise<Page> => (await replicate.request(route, { method: 'GET' })).json() as Promise<Page>;
    const before = (await replicate.predictions.list()).results.map((p) => p.id);
    const first = await get('/predictions?page_size=2');
    expect(first.previous).toBeNull();
    // A new prediction lands at the head of the list between two pages.
    const added = await replicate.predictions.create({ model: 'retake/retake-local', input: input({ input_video: clips.url('short.mp4') }) });
    await replicate.predictions.cancel(added.id);
    const seen = first.results.map((p) => p.id);
    const pages: Page[] = [first];
    for (let page = first; page.next; ) {
      page = await get(page.next);
      pages.push(page);
      seen.push(...page.results.map((p) => p.id));
    }
    expect(seen).toEqual(before);
    expect(seen).not.toContain(added.id);
    // previous of the second page is the first page as it stands now, the new one at its head.
    const back = await get(pages[1]!.previous!);
    expect(back.results.map((p) => p.id)).toEqual(first.results.map((p) => p.id));
    expect((await get(back.previous!)).results.map((p) => p.id)).toEqual([added.id]);
    await expect(replicate.request('/predictions?cursor=bm90LWEtY3Vyc29y', { method: 'GET' })).rejects.toThrow(/400|cursor/i);
  });

  it('a local file as input is uploaded through /v1/files and rendered', async () => {
    const bytes = await readFile(join(clips.dir, 'short.mp4'));
    const file = await replicate.files.create(new Blob([bytes], { type: 'video/mp4' }), { purpose: 'test' });
    expect(file).toMatchObject({ size: bytes.length, content_type: 'video/mp4', metadata: { purpose: 'test' }, urls: { get: expect.stringContaining('/files/uploads/') } });
    // run() uploads a Buffer input itself, then passes the file's URL to the model.
    const output = await replicate.run('retake/retake-local', { input: { prompt: 'pencil sketch', input_video: bytes } });
    expect(await isMp4(output as unknown as string)).toBe(true);
  });

  it('webhooks for the filtered events are signed so validateWebhook accepts them', async () => {
    const received: { headers: IncomingHttpHeaders; body: string }[] = [];
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.end();
      });
    });
    await listenOn(server);
    try {
      const { key: secret } = await replicate.webhooks.default.secret.get();
      expect(secret).toMatch(/^whsec_/);
      const hook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const created = await replicate.predictions.create({
        model: 'retake/retake-local', input: input(), webhook: hook, webhook_events_filter: ['start', 'completed'],
      });
      await eventually(async () => (received.some((r) => JSON.parse(r.body).status === 'succeeded') ? true : undefined), 30_000, 50);
      await h.retake.generations.waitForTerminal(created.id, 1000);
      const statuses = received.map((r) => JSON.parse(r.body).status).sort();
      expect(statuses).toEqual(['processing', 'succeeded']);
      // What a receiver does: rebuild the request and hand it to the client's validator.
      const asRequest = (r: { headers: IncomingHttpHeaders; body: string }) =>
        new Request(hook, { method: 'POST', headers: Object.entries(r.headers).map(([k, v]) => [k, String(v)] as [string, string]), body: r.body });
      for (const r of received) {
        expect(await validateWebhook(asRequest(r), secret)).toBe(true);
        expect(JSON.parse(r.body).id).toBe(created.id);
      }
      const forged = { headers: received[0]!.headers, body: received[0]!.body.replace('retake-local', 'other') };
      expect(await validateWebhook(asRequest(forged), secret)).toBe(false);
    } finally {
      server.close();
    }
  });

  it('stream() follows urls.stream (signed, no key needed) through logs to the output and done', async () => {
    const events: { event: string; data: string }[] = [];
    for await (const e of replicate.stream('retake/retake-local', { input: input({ prompt: 'pastel' }) })) {
      events.push({ event: e.event, data: String(e.data) });
    }
    const output = events.find((e) => e.event === 'output');
    expect(output?.data).toMatch(/\/files\/outputs\/.+\.mp4$/);
    expect(events.at(-1)?.event).toBe('done');
    expect(events.some((e) => e.event === 'logs')).toBe(true);
  });

  it('errors come back in Replicate\'s shape with retake\'s code', async () => {
    const unknown = await replicate.run('retake/nope', { input: input() }).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ name: 'ApiError', response: { status: 404 } });
    const failure = (e: unknown) => e as ApiError;
    const invalid = await replicate.predictions.create({ model: 'retake/retake-local', input: { prompt: 'x', input_video: clips.url('short.mp4'), hdr: true } }).then(() => undefined, failure);
    expect(invalid?.response.status).toBe(422);
    expect(invalid?.response.headers.get('content-type')).toContain('application/problem+json');
    expect(invalid?.message).toContain('"code":"validation_error"');
    expect(invalid?.message).toContain('"field":"resolution"');
    const anonymous = new Replicate({ auth: 'rtk_wrong', baseUrl: `${h.baseUrl}/v1` });
    const refused = await anonymous.predictions.list().then(() => undefined, failure);
    expect(refused?.response.status).toBe(401);
    expect(refused?.message).toContain('"code":"unauthorized"');
  });
});
