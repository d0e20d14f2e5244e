/**
 * The upload rules hold on every door, on a served retake over real HTTP. Before the
 * one upload service, the per-key cap held only on `/api/files` (with a cap of 2, five
 * trickling uploads each on `/v1/files` and fal's PUT were all held open), `/v1/files`
 * replayed the first file for the same Idempotency-Key with another file, and an upload
 * refused on sight kept its socket for the keep-alive while the client still owed the
 * body.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Replicate from 'replicate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../src/api/testing.ts';
import { MEDIA_DIR } from './support/media-server.ts';
import { eventually } from './support/server-process.ts';
import { trickle, trickleMultipart, type Trickle } from './support/trickle-upload.ts';

/** Far below the keep-alive (72 s) and the stall timer below: a socket closed by then was closed on purpose. */
const CLOSED_WITHIN_MS = 10_000;
let h: Harness;
let clip: Buffer;

beforeAll(async () => {
  [h, clip] = await Promise.all([
    startHarness({ listen: true, config: { bodyStallMs: 60_000, maxUploadsPerKey: 2 } }),
    readFile(join(MEDIA_DIR, 'flower.mp4')),
  ]);
});
afterAll(async () => {
  await h?.close();
});

/** A multipart upload of `content` in `field`, of which only the first 64 KiB are sent. */
const multipartTrickle = (path: string, field: string, authorization: string, content: Buffer = clip): Promise<Trickle> =>
  trickleMultipart(h.baseUrl, path, { field, authorization, content, sendBytes: 64 * 1024 });

/** Wait until `count` of `uploads` are answered; the refused must be 429s that close their connection. */
async function expectRefused(uploads: Trickle[], count: number): Promise<void> {
  await eventually(async () => (uploads.filter((u) => u.status() !== undefined).length >= count ? true : undefined), 20_000, 20);
  const refused = uploads.filter((u) => u.status() !== undefined);
  expect(refused.map((u) => u.status())).toEqual(Array.from({ length: count }, () => 429));
  for (const u of refused) expect(u.answer().toLowerCase()).toContain('connection: close');
  await Promise.race([
    Promise.all(refused.map((u) => u.closed)),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('a refused upload kept its connection')), CLOSED_WITHIN_MS)),
  ]);
  // The ones within the cap are still being received.
  expect(uploads.filter((u) => u.status() === undefined)).toHaveLength(uploads.length - count);
}

async function falUploadUrl(secret: string): Promise<string> {
  const res = await fetch(`${h.baseUrl}/fal/rest/storage/upload/initiate`, {
    method: 'POST', headers: { authorization: `Key ${secret}`, 'content-type': 'application/json' }, body: JSON.stringify({ file_name: 'slow.mp4', content_type: 'video/mp4' }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { upload_url: string }).upload_url;
}

describe('one upload service behind every door', () => {
  it('caps the uploads of one key on /v1/files: with a cap of 2, three of five trickling uploads are refused', async () => {
    const { secret } = await h.retake.keys.create({ name: 'replicate-trickler' });
    const uploads = await Promise.all(Array.from({ length: 5 }, () => multipartTrickle('/v1/files', 'content', `Bearer ${secret}`)));
    try {
      await expectRefused(uploads, 3);
    } finally {
      for (const u of uploads) u.socket.destroy();
    }
    // Slots come back when the uploads end: the official client uploads again.
    const replicate = new Replicate({ auth: secret, baseUrl: `${h.baseUrl}/v1` });
    await eventually(async () => {
      const file = await replicate.files.create(new Blob([new Uint8Array(clip)], { type: 'video/mp4' })).catch(() => undefined);
      return file;
    }, 10_000, 50).then((file) => expect(file).toMatchObject({ content_type: 'video/mp4', size: clip.length }));
  });

  it("caps the uploads of one key on fal's signed PUT: with a cap of 2, three of five trickling uploads are refused", async () => {
    const { secret } = await h.retake.keys.create({ name: 'fal-trickler' });
    const urls = await Promise.all(Array.from({ length: 5 }, () => falUploadUrl(secret)));
    const uploads = await Promise.all(urls.map((url) => {
      const { pathname, search } = new URL(url);
      return trickle(h.baseUrl, { method: 'PUT', path: `${pathname}${search}`, headers: { 'content-type': 'video/mp4' }, first: clip.subarray(0, 64 * 1024), length: clip.length });
    }));
    try {
      await expectRefused(uploads, 3);
    } finally {
      for (const u of uploads) u.socket.destroy();
    }
  });

  it('closes the connection of an upload refused on sight (415) while its body is still owed', async () => {
    const html = Buffer.concat([Buffer.from('<!doctype html><script>alert(1)</script>'), Buffer.alloc(64 * 1024, 0x20)]);
    const upload = await multipartTrickle('/api/files', 'file', h.auth.authorization!, Buffer.concat([html, Buffer.alloc(4 * 1024 * 1024)]));
    try {
      await eventually(async () => (upload.status() !== undefined ? true : undefined), 20_000, 20);
      expect(upload.status()).toBe(415);
      expect(upload.answer().toLowerCase()).toContain('connection: close');
      await Promise.race([
        upload.closed,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the refused upload kept its connection')), CLOSED_WITHIN_MS)),
      ]);
    } finally {
      upload.socket.destroy();
    }
  });

  it('/v1/files compares an Idempotency-Key by content: another file is a 409, the same file a replay', async () => {
    const other = await readFile(join(MEDIA_DIR, 'portrait.mp4'));
    const send = async (bytes: Buffer) => {
      const form = new FormData();
      form.append('content', new Blob([new Uint8Array(bytes)], { type: 'video/mp4' }), 'clip.mp4');
      return fetch(`${h.baseUrl}/v1/files`, { method: 'POST', headers: { ...h.auth, 'idempotency-key': 'one-upload' }, body: form });
    };
    const first = await send(clip);
    expect(first.status).toBe(201);
    const stored = (await first.json()) as { id: string; checksums: { sha256: string }; urls: { get: string } };

    const conflict = await send(other);
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ status: 409, code: 'idempotency_conflict' });

    const replay = await send(clip);
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(((await replay.json()) as { id: string }).id).toBe(stored.id);
    // The one stored file is the first one, byte for byte.
    expect(Buffer.from(await (await fetch(stored.urls.get)).arrayBuffer()).equals(clip)).toBe(true);
  });
});
