/**
 * Every remedy in the catalogue reaches the person who hit the error: each case makes
 * the real part fail the way a user would (the API in-process, the URL guard against
 * loopback servers, ffprobe on bad files) and finds the remedy in what they read.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness } from '../src/api/testing.ts';
import { probeMedia } from '../src/engines/local/probe.ts';
import type { Engine } from '../src/engines/types.ts';
import { REMEDIES, RetakeError, type ErrorCode } from '../src/errors/index.ts';
import { fetchToFile } from '../src/net/index.ts';
import { listenOn } from '../src/cli/free-port.ts';

const FLOWER = resolve('test/fixtures/media/flower.mp4');
let dir: string;
let server: Server;
let base: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'retake-remedies-'));
  // 404 at /missing, a stall at /stall, ten bytes elsewhere.
  server = createServer((req, res) => {
    if (req.url === '/missing') res.writeHead(404).end();
    else if (req.url === '/stall') res.writeHead(200, { 'content-length': '100' }).write('x');
    else res.writeHead(200, { 'content-length': '10' }).end('0123456789');
  });
  await listenOn(server);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
  await rm(dir, { recursive: true, force: true });
});

const remedy = (code: ErrorCode): string => REMEDIES[code]!;

/** The error `work` fails with, which must carry `code`. */
async function failure(code: ErrorCode, work: () => Promise<unknown>): Promise<string> {
  const err = await work().then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(RetakeError);
  expect((err as RetakeError).code).toBe(code);
  return (err as RetakeError).detail;
}

/** An engine that never finishes (until aborted), so a sync request times out. */
const slowEngine: Engine = {
  id: 'slow',
  render: (job) => new Promise((_, fail) => job.signal.addEventListener('abort', () => fail(new Error('aborted')))),
};

describe('API errors carry their remedy in the envelope', () => {
  it.each([
    ['unauthorized', { method: 'GET', url: '/api/ai/queue' }, false],
    ['generation_not_found', { method: 'GET', url: '/api/ai/queue/gen_missing' }, true],
    ['route_not_found', { method: 'GET', url: '/api/no-such-route' }, true],
  ] as const)('%s', async (code, request, authed) => {
    const h = await startHarness();
    try {
      const res = await h.app.inject({ ...request, headers: authed ? h.auth : {} });
      expect(res.json()).toMatchObject({ error: { type: code } });
      expect(res.json().error.detail).toContain(remedy(code));
    } finally {
      await h.close();
    }
  });

  it('hdr_access_required', async () => {
    const h = await startHarness({ hdrAccess: false });
    try {
      const res = await h.app.inject({ method: 'POST', url: '/api/ai/estimate', headers: h.auth, payload: { model: 'retake-local', prompt: 'noir', input_video: `${base}/a.mp4`, resolution: '720p', hdr: true } });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.detail).toContain(remedy('hdr_access_required'));
    } finally {
      await h.close();
    }
  });

  it('budget_exceeded', async () => {
    const h = await startHarness();
    try {
      const { secret } = await h.retake.keys.create({ name: 'small', hdrAccess: false, budgetUsd: 0.5 });
      const res = await h.app.inject({ method: 'POST', url: '/api/ai/estimate', headers: { authorization: `Bearer ${secret}` }, payload: { model: 'luma-ray-v3-2-video-to-video', prompt: 'noir', input_video: `${base}/a.mp4` } });
      expect(res.statusCode).toBe(402);
      expect(res.json().error.detail).toContain(remedy('budget_exceeded'));
    } finally {
      await h.close();
    }
  });

  it('idempotency_conflict', async () => {
    const h = await startHarness();
    try {
      const send = (prompt: string) => h.app.inject({ method: 'POST', url: '/api/ai/estimate', headers: { ...h.auth, 'idempotency-key': 'same' }, payload: { model: 'retake-local', prompt, input_video: `${base}/a.mp4` } });
      expect((await send('noir')).statusCode).toBe(200);
      const res = await send('sepia');
      expect(res.statusCode).toBe(409);
      expect(res.json().error.detail).toContain(remedy('idempotency_conflict'));
    } finally {
      await h.close();
    }
  });

  it('input_url_blocked, with both ways out', async () => {
    const h = await startHarness({ config: { allowPrivateUrls: false } });
    try {
      const res = await h.app.inject({ method: 'POST', url: '/api/ai/queue', headers: h.auth, payload: { model: 'retake-local', prompt: 'noir', input_video: 'http://127.0.0.1:9/clip.mp4' } });
      expect(res.statusCode).toBe(422);
      const { detail } = res.json().error as { detail: string };
      expect(detail).toContain('POST /api/files');
      expect(detail).toContain('RETAKE_ALLOW_PRIVATE_URLS=1');
    } finally {
      await h.close();
    }
  });

  it('payload_too_large', async () => {
    const h = await startHarness({ config: { maxUploadBytes: 4096 } });
    try {
      const boundary = '----remedy';
      const payload = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="flower.mp4"\r\nContent-Type: video/mp4\r\n\r\n`),
        await readFile(FLOWER),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const res = await h.app.inject({ method: 'POST', url: '/api/files', headers: { ...h.auth, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
      expect(res.statusCode).toBe(413);
      expect(res.json().error.detail).toContain(remedy('payload_too_large'));
    } finally {
      await h.close();
    }
  });

  it('generation_timeout', async () => {
    const h = await startHarness({ role: 'all', config: { syncTimeoutMs: 200 }, engines: { local: slowEngine, hosted: slowEngine } });
    try {
      const res = await h.app.inject({ method: 'POST', url: '/api/ai/videos/generate', headers: h.auth, payload: { model: 'retake-local', prompt: 'noir', input_video: `${base}/a.mp4` } });
      expect(res.statusCode).toBe(504);
      expect(res.json().error.detail).toContain(remedy('generation_timeout'));
    } finally {
      await h.close();
    }
  });
});

describe('input URL errors carry their remedy', () => {
  const fetchOptions = { allowPrivate: true, maxBytes: 1 << 20, timeoutMs: 5000 };
  const dest = (): string => join(dir, `in-${Math.random().toString(36).slice(2)}`);

  it('input_url_invalid', async () => {
    expect(await failure('input_url_invalid', () => fetchToFile('ftp://example.com/a.mp4', dest(), fetchOptions))).toContain(remedy('input_url_invalid'));
  });
  it('input_unreachable', async () => {
    expect(await failure('input_unreachable', () => fetchToFile('http://127.0.0.1:9/a.mp4', dest(), fetchOptions))).toContain(remedy('input_unreachable'));
  });
  it('input_http_error', async () => {
    expect(await failure('input_http_error', () => fetchToFile(`${base}/missing`, dest(), fetchOptions))).toContain(remedy('input_http_error'));
  });
  it('input_timeout', async () => {
    expect(await failure('input_timeout', () => fetchToFile(`${base}/stall`, dest(), { ...fetchOptions, stallMs: 200 }))).toContain(remedy('input_timeout'));
  });
  it('input_too_large', async () => {
    expect(await failure('input_too_large', () => fetchToFile(`${base}/ten-bytes`, dest(), { ...fetchOptions, maxBytes: 5 }))).toContain(remedy('input_too_large'));
  });
});

describe('media errors carry their remedy', () => {
  const run = promisify(execFile);

  it('input_not_media', async () => {
    const text = join(dir, 'notes.txt');
    await writeFile(text, 'not a video at all\n');
    expect(await failure('input_not_media', () => probeMedia(text))).toContain(remedy('input_not_media'));
  });
  it('input_no_video_stream', async () => {
    const audio = join(dir, 'tone.m4a');
    await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=d=0.5', '-c:a', 'aac', audio]);
    expect(await failure('input_no_video_stream', () => probeMedia(audio))).toContain(remedy('input_no_video_stream'));
  });
  it('input_too_long', async () => {
    expect(await failure('input_too_long', () => probeMedia(FLOWER, { maxDurationS: 1 }))).toContain(remedy('input_too_long'));
  });
  it('input_too_many_pixels', async () => {
    expect(await failure('input_too_many_pixels', () => probeMedia(FLOWER, { maxPixels: 1000 }))).toContain(remedy('input_too_many_pixels'));
  });
});

describe('the CLI prints the remedy', () => {
  it('in its error line', async () => {
    const { reportError } = await import('../src/cli/output.ts');
    const lines: string[] = [];
    reportError(new RetakeError('input_url_blocked', 'Input URL host 10.0.0.1 is a private address, which retake does not fetch'), (l) => lines.push(l));
    expect(lines[0]).toBe(`retake: error input_url_blocked: Input URL host 10.0.0.1 is a private address, which retake does not fetch. ${remedy('input_url_blocked')}`);
  });
});
