/**
 * FFmpeg opens only the file it was given. A served retake (real jobs, private URLs
 * allowed) is handed input URLs on a loopback server whose bytes are HLS playlists,
 * a DASH manifest and ffconcat lists that name another file: by `file://`, by a bare
 * absolute path, by a relative path, at loopback over `http://`, and as a `%d`
 * pattern. Each generation fails with `input_container_refused`, and the file named is
 * never opened: it is a FIFO that the test watches (a reader opening it would show as
 * a writer being able to open it), and the loopback target counts its requests. Below
 * the API: a probe of a pattern name, and a hosted engine's check of fetched bytes.
 */
import { execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../src/api/testing.ts';
import { probeMedia } from '../src/engines/local/probe.ts';
import { routeInput } from '../src/engines/provider-io/index.ts';
import { RetakeError } from '../src/errors/index.ts';
import { scaled } from './support/deadline.ts';

const MEDIA = new URL('./fixtures/media/', import.meta.url).pathname;
let h: Harness;
let root: string;
let server: Server;
let base: string;
/** What the loopback server answers, by path, and how often each path was asked for. */
const bodies = new Map<string, string>();
const hits = new Map<string, number>();

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'retake-refusal-'));
  h = await startHarness({ listen: true, role: 'all', config: { maxAttempts: 1 } });
  server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const body = bodies.get(path);
    if (body === undefined) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': Buffer.byteLength(body) }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await h.close();
  await rm(root, { recursive: true, force: true });
});

/**
 * A FIFO named `name` in a fresh directory, and a watcher that notes whether anything
 * opened it for reading (a non-blocking open for writing succeeds only then). The
 * watcher closes its end at once, so a reader that got there sees an empty file.
 */
async function watchedFifo(name: string): Promise<{ path: string; dir: string; opened: () => boolean; stop: () => void }> {
  const dir = await mkdtemp(join(root, 'secret-'));
  const path = join(dir, name);
  execFileSync('mkfifo', [path]);
  let opened = false;
  let stopped = false;
  const poll = async (): Promise<void> => {
    while (!stopped) {
      try {
        const handle = await open(path, constants.O_WRONLY | constants.O_NONBLOCK);
        opened = true;
        await handle.close();
      } catch {
        // ENXIO: no reader has it open.
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  void poll();
  return { path, dir, opened: () => opened, stop: () => { stopped = true; } };
}

const hls = (segment: string): string =>
  `#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:1.0,\n${segment}\n#EXT-X-ENDLIST\n`;

/** A path from any directory to `absolute`, by climbing past the root first. */
const relativeFromAnywhere = (absolute: string): string => `${'../'.repeat(40)}${absolute.replace(/^\/+/, '')}`;

async function generate(body: Record<string, unknown>): Promise<{ status: number; body: { error?: { type?: string; message?: string } } }> {
  const res = await fetch(`${h.baseUrl}/api/ai/videos/generate`, {
    method: 'POST', headers: { ...h.auth, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'retake-local', prompt: 'warm watercolor', ...body }),
  });
  return { status: res.status, body: await res.json() as { error?: { type?: string } } };
}

describe('an input that names another file or URL', () => {
  const cases: [string, (secret: string) => string][] = [
    ['an HLS playlist naming a file:// URL', (secret) => hls(`file://${secret}`)],
    ['an HLS playlist naming a bare absolute path', (secret) => hls(secret)],
    ['an HLS playlist naming a relative path', (secret) => hls(relativeFromAnywhere(secret))],
    ['a DASH manifest naming a local file', (secret) => `<?xml version="1.0"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT1S" minBufferTime="PT1S" profiles="urn:mpeg:dash:profile:isoff-on-demand:2011">
  <Period><AdaptationSet mimeType="video/mp4"><Representation id="v" bandwidth="1000" width="64" height="48" codecs="avc1.42c00a">
    <BaseURL>file://${secret}</BaseURL><SegmentBase indexRange="0-100"/></Representation></AdaptationSet></Period>
</MPD>\n`],
    ['an ffconcat list naming a local file', (secret) => `ffconcat version 1.0\nfile 'file:${secret}'\nfile '${secret}'\n`],
  ];

  it.each(cases)('%s as input_video is refused by name and the file is never opened', async (label, make) => {
    const secret = await watchedFifo('clip.mp4');
    try {
      const name = `/${label.replace(/\W+/g, '-')}.mp4`;
      bodies.set(name, make(secret.path));
      const res = await generate({ input_video: `${base}${name}` });
      expect(res.body.error?.type, JSON.stringify(res.body)).toBe('input_container_refused');
      expect(res.status).toBe(422);
      expect(secret.opened()).toBe(false);
    } finally {
      secret.stop();
    }
  }, scaled(60_000));

  it('an HLS playlist naming a loopback http:// segment is refused and the segment never requested', async () => {
    bodies.set('/segment.ts', 'not fetched');
    bodies.set('/loopback.m3u8', hls(`${base}/segment.ts`));
    const res = await generate({ input_video: `${base}/loopback.m3u8` });
    expect(res.body.error?.type, JSON.stringify(res.body)).toBe('input_container_refused');
    expect(hits.get('/loopback.m3u8')).toBe(1);
    expect(hits.get('/segment.ts')).toBeUndefined();
  }, scaled(60_000));

  it('an ffconcat list naming a %d image-sequence pattern is refused and no frame of it is opened', async () => {
    const secret = await watchedFifo('frame_000.png');
    try {
      bodies.set('/pattern.txt', `ffconcat version 1.0\nfile 'frame_%03d.png'\nfile '${join(secret.dir, 'frame_%03d.png')}'\n`);
      const res = await generate({ input_video: `${base}/pattern.txt` });
      expect(res.body.error?.type, JSON.stringify(res.body)).toBe('input_container_refused');
      expect(secret.opened()).toBe(false);
    } finally {
      secret.stop();
    }
  }, scaled(60_000));

  it('a playlist as input_image is refused the same way, beside a real input_video', async () => {
    const secret = await watchedFifo('still.mp4');
    try {
      bodies.set('/image.m3u8', hls(`file://${secret.path}`));
      const video = await uploadFixture('flower.mp4');
      const refused = await generate({ input_video: video, input_image: `${base}/image.m3u8` });
      expect(refused.body.error?.type, JSON.stringify(refused.body)).toBe('input_container_refused');
      expect(secret.opened()).toBe(false);
    } finally {
      secret.stop();
    }
  }, scaled(60_000));

  it('a real clip still renders (the allow-list admits what retake reads)', async () => {
    const res = await generate({ input_video: await uploadFixture('flower.mp4'), input_image: await uploadFixture('london.jpg') });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }, scaled(120_000));
});

async function uploadFixture(name: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(await readFile(join(MEDIA, name)))]), name);
  const res = await fetch(`${h.baseUrl}/api/files`, { method: 'POST', headers: h.auth, body: form });
  const body = await res.json() as { url: string };
  expect(res.status, JSON.stringify(body)).toBeLessThan(300);
  return body.url;
}

describe('the input rule below the API', () => {
  it('a probe of a %d pattern name is refused before FFmpeg opens a numbered file', async () => {
    const secret = await watchedFifo('frame_000.png');
    try {
      const failure = await probeMedia(join(secret.dir, 'frame_%03d.png')).then(() => undefined, (err: unknown) => err);
      expect(failure).toBeInstanceOf(RetakeError);
      expect((failure as RetakeError).code).toBe('input_container_refused');
      expect(secret.opened()).toBe(false);
    } finally {
      secret.stop();
    }
  });

  it("a hosted engine's fetched input is checked before its bytes are sent: a playlist is refused, a clip passes", async () => {
    const secret = await watchedFifo('clip.mp4');
    const dir = await mkdtemp(join(root, 'hosted-'));
    try {
      const fetched = (body: string | Buffer) => async (_url: string, name: string): Promise<string> => {
        const path = join(dir, name);
        await writeFile(path, body);
        return path;
      };
      const options = { publicUrl: 'https://retake.example.com' };
      const refused = await routeInput('http://127.0.0.1:9/clip.mp4', 'input-video', fetched(hls(`file://${secret.path}`)), options)
        .then(() => undefined, (err: unknown) => err);
      expect((refused as RetakeError).code).toBe('input_container_refused');
      expect(secret.opened()).toBe(false);
      const clip = await routeInput('http://127.0.0.1:9/clip.mp4', 'input-clip', fetched(await readFile(join(MEDIA, 'flower.mp4'))), options);
      expect(clip).toEqual({ kind: 'local', path: join(dir, 'input-clip') });
      const text = await routeInput('http://127.0.0.1:9/clip.mp4', 'input-text', fetched('just some words'), options).then(() => undefined, (err: unknown) => err);
      expect((text as RetakeError).code).toBe('input_not_media');
    } finally {
      secret.stop();
    }
  });
});
