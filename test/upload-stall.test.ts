/**
 * Slow and abandoned uploads on a listening server. Before the fix there was no body
 * timeout and no cap: an authenticated upload that stopped sending held its socket and
 * its `.part` file forever (200 of them were still open after 90 s), and one key could
 * open as many as it liked. Now a body that sends nothing for the stall timeout is cut
 * off and its part file removed, a client that hangs up loses its part file at once, and
 * a key streams at most a few uploads at a time (429 past that).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../src/api/testing.ts';
import { MEDIA_DIR } from './support/media-server.ts';
import { eventually } from './support/server-process.ts';
import { trickle, trickleMultipart, type Trickle } from './support/trickle-upload.ts';

const STALL_MS = 400;
let quick: Harness;
let patient: Harness;
let clip: Buffer;

beforeAll(async () => {
  [quick, patient, clip] = await Promise.all([
    startHarness({ listen: true, config: { bodyStallMs: STALL_MS } }),
    startHarness({ listen: true, config: { bodyStallMs: 20_000, maxUploadsPerKey: 2 } }),
    readFile(join(MEDIA_DIR, 'flower.mp4')),
  ]);
});
afterAll(async () => {
  await Promise.all([quick?.close(), patient?.close()]);
});

/** Open an upload and send its headers and the first `sendBytes` of the file, then stop. */
function startUpload(h: Harness, sendBytes: number, path = '/api/files', field = 'file'): Promise<Trickle> {
  return trickleMultipart(h.baseUrl, path, { field, authorization: h.auth.authorization!, content: clip, sendBytes });
}

async function partFiles(h: Harness): Promise<string[]> {
  return (await readdir(join(h.retake.config.dataDir, 'blobs', 'tmp')).catch(() => [])).filter((n) => n.endsWith('.part'));
}

describe('slow uploads', () => {
  it('cuts off an upload that stops sending and removes its part file', async () => {
    const uploads = await Promise.all(Array.from({ length: 5 }, () => startUpload(quick, 64 * 1024)));
    await eventually(async () => ((await partFiles(quick)).length > 0 ? true : undefined), 5000, 20);
    const lifetimes = await Promise.race([
      Promise.all(uploads.map((u) => u.closed)),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('stalled uploads still open after 5 s')), 5000)),
    ]);
    for (const ms of lifetimes) expect(ms).toBeGreaterThanOrEqual(STALL_MS - 50);
    await eventually(async () => ((await partFiles(quick)).length === 0 ? true : undefined), 2000, 20);
    // The server is still fine, and a prompt upload of the same file works.
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(clip)], { type: 'video/mp4' }), 'ok.mp4');
    const ok = await fetch(`${quick.baseUrl}/api/files`, { method: 'POST', headers: quick.auth, body: form });
    expect(ok.status).toBe(201);
  });

  it("cuts off stalled uploads on /v1/files and fal's signed PUT too", async () => {
    const initiated = await fetch(`${quick.baseUrl}/fal/rest/storage/upload/initiate`, {
      method: 'POST', headers: { authorization: `Key ${quick.secret}`, 'content-type': 'application/json' }, body: '{"file_name":"slow.mp4"}',
    });
    const uploadUrl = new URL(((await initiated.json()) as { upload_url: string }).upload_url);
    const uploads = [
      await startUpload(quick, 64 * 1024, '/v1/files', 'content'),
      await trickle(quick.baseUrl, { method: 'PUT', path: `${uploadUrl.pathname}${uploadUrl.search}`, headers: { 'content-type': 'video/mp4' }, first: clip.subarray(0, 64 * 1024), length: clip.length }),
    ];
    const lifetimes = await Promise.race([
      Promise.all(uploads.map((u) => u.closed)),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('stalled uploads still open after 5 s')), 5000)),
    ]);
    for (const ms of lifetimes) expect(ms).toBeGreaterThanOrEqual(STALL_MS - 50);
    await eventually(async () => ((await partFiles(quick)).length === 0 ? true : undefined), 2000, 20);
  });

  it('removes the part file as soon as the client hangs up', async () => {
    const upload = await startUpload(patient, 64 * 1024);
    await eventually(async () => ((await partFiles(patient)).length > 0 ? true : undefined), 5000, 20);
    upload.socket.destroy();
    await eventually(async () => ((await partFiles(patient)).length === 0 ? true : undefined), 1000, 20);
  });

  it('lets one key stream only a few uploads at once', async () => {
    const open = await Promise.all([startUpload(patient, 8192), startUpload(patient, 8192)]);
    await eventually(async () => ((await partFiles(patient)).length === 2 ? true : undefined), 5000, 20);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(clip)], { type: 'video/mp4' }), 'third.mp4');
    const third = await fetch(`${patient.baseUrl}/api/files`, { method: 'POST', headers: patient.auth, body: form });
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('1');
    // Another key is not affected, and the slots come back when the uploads end.
    const other = await patient.retake.keys.create({ name: 'other' });
    const form2 = new FormData();
    form2.append('file', new Blob([new Uint8Array(clip)], { type: 'video/mp4' }), 'other.mp4');
    expect((await fetch(`${patient.baseUrl}/api/files`, { method: 'POST', headers: { authorization: `Bearer ${other.secret}` }, body: form2 })).status).toBe(201);
    for (const u of open) u.socket.destroy();
    await eventually(async () => ((await partFiles(patient)).length === 0 ? true : undefined), 2000, 20);
    const again = await fetch(`${patient.baseUrl}/api/files`, { method: 'POST', headers: patient.auth, body: form });
    expect(again.status).toBe(201);
  });
});
