/**
 * The official `@fal-ai/client`, unchanged, against a served retake through the one
 * documented `requestMiddleware` (fal's hosts → retake's `/fal/...` mounts): subscribe
 * with queue updates and logs, the queue calls one by one, the status stream, storage
 * uploads (single and multipart) whose URLs work as inputs, cancel, errors as the
 * client's `ApiError` with retake's code, fal's own endpoint id for the hosted model,
 * and the `proxyUrl` convention.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ApiError, createFalClient, type FalClient, type QueueStatus } from '@fal-ai/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../src/api/testing.ts';
import { startFalStandin, type FalStandin } from './support/fal-standin.ts';
import { eventually } from './support/server-process.ts';
import { shortClips, type ShortClips } from './support/short-clips.ts';
import { listenOn } from '../src/cli/free-port.ts';

let h: Harness;
let clips: ShortClips;
let falProvider: FalStandin;
let fal: FalClient;

/** The README's middleware: fal's three hosts onto retake's mounts. */
function falOnRetake(baseUrl: string, key: string): FalClient {
  const mounts: Record<string, string> = { 'queue.fal.run': 'queue', 'fal.run': 'run', 'rest.fal.ai': 'rest' };
  return createFalClient({
    credentials: key,
    requestMiddleware: async (request) => {
      const url = new URL(request.url);
      return { ...request, url: `${baseUrl}/fal/${mounts[url.host]}${url.pathname}${url.search}` };
    },
  });
}

beforeAll(async () => {
  [clips, falProvider] = await Promise.all([shortClips(), startFalStandin()]);
  // The hosted model runs on a stand-in for fal itself, so fal's own endpoint id is covered too.
  h = await startHarness({
    listen: true, role: 'all',
    config: { falKey: falProvider.key, falQueueUrl: falProvider.url, falStorageUrl: falProvider.storageUrl },
  });
  fal = falOnRetake(h.baseUrl, h.secret);
});

afterAll(async () => {
  await h?.close();
  await Promise.all([clips?.close(), falProvider?.close()]);
});

const isMp4 = async (url: string) => {
  const res = await fetch(url);
  return res.ok && Buffer.from(await res.arrayBuffer()).subarray(4, 8).toString('latin1') === 'ftyp';
};

type VideoResult = { video: { url: string; content_type: string } };

describe('the fal client against retake', () => {
  it('subscribe() reports queue updates with logs and returns the video', async () => {
    const updates: QueueStatus[] = [];
    let enqueued = '';
    const result = await fal.subscribe('retake/retake-local', {
      input: { prompt: 'film noir', video_url: clips.url('short.mp4') },
      logs: true,
      pollInterval: 100,
      onEnqueue: (id) => (enqueued = id),
      onQueueUpdate: (update) => updates.push(update),
    });
    const data = result.data as VideoResult;
    expect(result.requestId).toBe(enqueued);
    expect(data.video).toMatchObject({ content_type: 'video/mp4', url: expect.stringContaining('/files/outputs/') });
    expect(await isMp4(data.video.url)).toBe(true);
    expect(updates.at(-1)).toMatchObject({ status: 'COMPLETED', request_id: enqueued });
    const logs = updates.flatMap((u) => ('logs' in u && u.logs ? u.logs.map((l) => l.message) : []));
    expect(logs).toContain('done');
  });

  it('queue.submit / status / streamed status / result, and a waiting request has a queue position', async () => {
    const long = await fal.queue.submit('retake/retake-local', { input: { prompt: 'sepia', video_url: clips.url('long.mp4'), resolution: '1080p' } });
    const next = await fal.queue.submit('retake/retake-local', { input: { prompt: 'pastel', video_url: clips.url('short.mp4') } });
    expect(next).toMatchObject({ request_id: expect.any(String), status_url: expect.stringContaining(`/fal/queue/retake/retake-local/requests/${next.request_id}/status`) });
    const waiting = await fal.queue.status('retake/retake-local', { requestId: next.request_id });
    expect(waiting).toMatchObject({ status: 'IN_QUEUE', queue_position: expect.any(Number) });
    // The long one only had to hold the worker; cancelling it lets the next one run.
    await fal.queue.cancel('retake/retake-local', { requestId: long.request_id });

    const streamed: string[] = [];
    const done = await fal.queue.subscribeToStatus('retake/retake-local', {
      requestId: next.request_id, mode: 'streaming', logs: true, onQueueUpdate: (u) => streamed.push(u.status),
    });
    expect(done.status).toBe('COMPLETED');
    expect(streamed).toContain('IN_PROGRESS');
    const result = await fal.queue.result('retake/retake-local', { requestId: next.request_id });
    expect(result.requestId).toBe(next.request_id);
    expect(await isMp4((result.data as VideoResult).video.url)).toBe(true);
    expect(await fal.queue.status('retake/retake-local', { requestId: long.request_id })).toMatchObject({ status: 'COMPLETED', error_type: 'cancelled' });
  });

  it('cancel stops a running request; its result is the client\'s ApiError with code cancelled', async () => {
    const { request_id: requestId } = await fal.queue.submit('retake/retake-local', { input: { prompt: 'noir', video_url: clips.url('long.mp4'), resolution: '1080p' } });
    await eventually(async () => ((await fal.queue.status('retake/retake-local', { requestId })).status === 'IN_PROGRESS' ? true : undefined), 20_000, 50);
    await fal.queue.cancel('retake/retake-local', { requestId });
    const status = await fal.queue.status('retake/retake-local', { requestId });
    expect(status).toMatchObject({ status: 'COMPLETED', error_type: 'cancelled' });
    const err = await fal.queue.result('retake/retake-local', { requestId }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 409, body: { error_type: 'cancelled' } });
  });

  it('storage.upload of a local file gives a URL that works as video_url; a Blob input is uploaded by the client itself', async () => {
    const bytes = await readFile(join(clips.dir, 'short.mp4'));
    const url = await fal.storage.upload(new Blob([bytes], { type: 'video/mp4' }));
    expect(url).toContain(`${h.baseUrl}/files/uploads/`);
    expect(Buffer.from(await (await fetch(url)).arrayBuffer()).equals(bytes)).toBe(true);
    const result = await fal.subscribe('retake/retake-local', { input: { prompt: 'charcoal', video_url: url } });
    expect(await isMp4((result.data as VideoResult).video.url)).toBe(true);
    const refused = await fal.storage.upload(new Blob(['<html>not a video</html>'], { type: 'video/mp4' })).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 415, body: { error_type: 'unsupported_media_type' } });
    const fromBlob = await fal.subscribe('retake/retake-local', { input: { prompt: 'charcoal', video_url: new Blob([bytes], { type: 'video/mp4' }) } });
    expect(await isMp4((fromBlob.data as VideoResult).video.url)).toBe(true);
  });

  it('a file above 90 MB goes up in parts and comes back whole', async () => {
    // A real clip's head (types are read from the bytes), then numbered filler.
    const clip = await readFile(join(clips.dir, 'short.mp4'));
    const big = Buffer.alloc(91 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4096) big.writeUInt32BE(i / 4096, i);
    clip.copy(big);
    const url = await fal.storage.upload(new Blob([big], { type: 'video/mp4' }));
    const back = Buffer.from(await (await fetch(url)).arrayBuffer());
    expect(back.length).toBe(big.length);
    expect(back.equals(big)).toBe(true);
  });

  it('a failed job surfaces as the client\'s ApiError with retake\'s error code', async () => {
    await writeFile(join(clips.dir, 'notes.txt'), 'this is not a video');
    const err = await fal.subscribe('retake/retake-local', {
      input: { prompt: 'noir', video_url: clips.url('short.mp4').replace('short.mp4', 'notes.txt') },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 422, body: { error_type: 'input_not_media' } });
  });

  it('invalid input is a ValidationError naming fal\'s field', async () => {
    const err = await fal.queue.submit('retake/retake-local', { input: { prompt: 'noir' } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'ValidationError', status: 422, body: { error_type: 'validation_error' } });
    expect((err as { getFieldErrors(f: string): unknown[] }).getFieldErrors('video_url')).toHaveLength(1);
  });

  it('fal\'s own endpoint id runs the hosted model with fal\'s field names', async () => {
    falProvider.script.queuedPolls = 0;
    falProvider.script.progressPolls = 0;
    const result = await fal.subscribe('luma/agent/ray/v3.2/video-to-video', {
      input: { prompt: 'oil painting', video_url: clips.url('short.mp4'), resolution: '720p' },
    });
    expect((result.data as VideoResult).video.url).toContain(`${h.baseUrl}/files/outputs/`);
    expect(falProvider.submissions.at(-1)?.body).toMatchObject({ prompt: 'oil painting', resolution: '720p', video_url: expect.any(String) });
  });

  it('webhookUrl (?fal_webhook=) posts fal\'s completion payload, signed by retake', async () => {
    const received: { headers: IncomingHttpHeaders; body: string }[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.end();
      });
    });
    await listenOn(receiver);
    try {
      const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/fal-hook`;
      const { request_id: requestId } = await fal.queue.submit('retake/retake-local', {
        input: { prompt: 'watercolor', video_url: clips.url('short.mp4') }, webhookUrl: hook,
      });
      const delivery = await eventually(async () => received[0], 30_000, 50);
      expect(JSON.parse(delivery.body)).toMatchObject({ request_id: requestId, status: 'OK', payload: { video: { url: expect.stringContaining('/files/outputs/') } } });
      expect(delivery.headers['x-retake-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(received).toHaveLength(1);
    } finally {
      receiver.close();
    }
  });

  it('works through proxyUrl with x-fal-target-url too', async () => {
    const proxied = createFalClient({ credentials: h.secret, proxyUrl: { url: `${h.baseUrl}/fal/proxy`, when: 'always' } });
    const result = await proxied.subscribe('retake/retake-local', { input: { prompt: 'pop art', video_url: clips.url('short.mp4') }, pollInterval: 100 });
    expect(await isMp4((result.data as VideoResult).video.url)).toBe(true);
  });

  it('answers 401 in fal\'s shape without a key', async () => {
    const anonymous = falOnRetake(h.baseUrl, 'rtk_wrong');
    const err = await anonymous.queue.submit('retake/retake-local', { input: { prompt: 'noir', video_url: clips.url('short.mp4') } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 401, body: { error_type: 'unauthorized' } });
  });
});
