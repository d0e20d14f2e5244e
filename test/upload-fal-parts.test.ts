/**
 * fal's multipart uploads under the same rules as every upload, on a served retake over
 * real HTTP. Before, one `initiate` gave a signed URL whose part PUTs the key's rate
 * limit never counted (100 × 1 MiB parts were accepted after the key's bucket was
 * spent), whose parts were served publicly at `/files/parts/<id>/part-N`, each part
 * could be as large as a whole upload, and parts nobody completed stayed forever.
 */
import { readFile, utimes } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../src/api/testing.ts';
import { buildServer } from '../src/app.ts';
import type { LocalBlobStore } from '../src/blobs/index.ts';
import { UPLOAD_URL_TTL_MS } from '../src/http/uploads/upload-parts.ts';
import { uploadsOf } from '../src/http/uploads/upload-service.ts';
import { MEDIA_DIR } from './support/media-server.ts';
import { eventually } from './support/server-process.ts';

const SUBMITS_PER_MINUTE = 20;
const MIB = 1024 * 1024;
let h: Harness;
let clip: Buffer;

beforeAll(async () => {
  [h, clip] = await Promise.all([
    startHarness({ listen: true, config: { rateLimitSubmit: SUBMITS_PER_MINUTE, maxUploadBytes: Math.floor(2.5 * MIB), maxUploadsPerKey: 4 } }),
    readFile(join(MEDIA_DIR, 'flower.mp4')),
  ]);
});
afterAll(async () => {
  await h?.close();
});

/** A fresh key with its own rate-limit bucket. */
const newKey = async (name: string): Promise<string> => (await h.retake.keys.create({ name })).secret;

async function initiateMultipart(secret: string): Promise<{ id: string; uploadUrl: URL; fileUrl: string }> {
  const res = await fetch(`${h.baseUrl}/fal/rest/storage/upload/initiate-multipart`, {
    method: 'POST', headers: { authorization: `Key ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ file_name: 'big.mp4', content_type: 'video/mp4' }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { upload_url: string; file_url: string };
  const uploadUrl = new URL(body.upload_url);
  return { id: uploadUrl.pathname.split('/').pop()!, uploadUrl, fileUrl: body.file_url };
}

/** PUT part `n` as fal's client does (no key: the URL is the grant); the answer's status, even when the server hangs up on the rest of the body. */
function putPart(uploadUrl: URL, n: number, bytes: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${uploadUrl.origin}${uploadUrl.pathname}/${n}${uploadUrl.search}`, {
      method: 'PUT', headers: { 'content-type': 'application/octet-stream', 'content-length': bytes.length },
    }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(bytes);
  });
}

const partsOf = async (id: string): Promise<string[]> => (await h.retake.blobs.list(`parts/${id}/`)).map((p) => p.key);

describe("fal's multipart uploads", () => {
  it("counts every part PUT against the key's rate limit: 100 × 1 MiB after the bucket is spent are all 429s", async () => {
    const secret = await newKey('part-spammer');
    const { id, uploadUrl } = await initiateMultipart(secret);
    // Spend the rest of the key's submit budget.
    let spent = false;
    for (let i = 0; i < SUBMITS_PER_MINUTE && !spent; i++) spent = (await initiateMultipart(secret).then(() => false, () => true));
    const probe = await fetch(`${h.baseUrl}/fal/rest/storage/upload/initiate`, {
      method: 'POST', headers: { authorization: `Key ${secret}`, 'content-type': 'application/json' }, body: '{}',
    });
    expect(probe.status).toBe(429);

    const part = Buffer.alloc(MIB, 1);
    const statuses: number[] = [];
    for (let n = 1; n <= 100; n++) statuses.push(await putPart(uploadUrl, n, part));
    expect(new Set(statuses)).toEqual(new Set([429]));
    expect(await partsOf(id)).toEqual([]);
  });

  it('never serves a part under /files, and holds the upload limit over all the parts together', async () => {
    const secret = await newKey('part-uploader');
    const { id, uploadUrl, fileUrl } = await initiateMultipart(secret);
    const head = Buffer.concat([clip, Buffer.alloc(MIB)]).subarray(0, MIB);
    expect(await putPart(uploadUrl, 1, head)).toBe(200);
    expect(await putPart(uploadUrl, 2, Buffer.alloc(MIB, 2))).toBe(200);
    for (const n of [1, 2]) {
      const res = await fetch(`${h.baseUrl}/files/parts/${id}/part-${n}`);
      expect(res.status).toBe(404);
    }
    // 2 MiB stored of a 2.5 MiB limit: a third MiB is refused, a half MiB is not.
    expect(await putPart(uploadUrl, 3, Buffer.alloc(MIB, 3))).toBe(413);
    expect(await putPart(uploadUrl, 3, Buffer.alloc(MIB / 2, 3))).toBe(200);
    const done = await fetch(`${uploadUrl.origin}${uploadUrl.pathname}/complete${uploadUrl.search}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ parts: [1, 2, 3].map((n) => ({ partNumber: n })) }),
    });
    expect(done.status).toBe(200);
    // The joined file is served, typed from its bytes; its parts are gone.
    const served = await fetch(fileUrl);
    expect(served.headers.get('content-type')).toBe('video/mp4');
    expect(Number(served.headers.get('content-length'))).toBe(2.5 * MIB);
    expect(await partsOf(id)).toEqual([]);
  });

  it('sweeps the parts of an upload nobody completed once its upload URL has expired', async () => {
    const secret = await newKey('part-abandoner');
    const { id, uploadUrl } = await initiateMultipart(secret);
    expect(await putPart(uploadUrl, 1, Buffer.alloc(MIB / 4, 1))).toBe(200);
    expect(await putPart(uploadUrl, 2, Buffer.alloc(MIB / 4, 2))).toBe(200);
    const parts = uploadsOf(h.app).parts;
    // While the URL may still be used the parts stay; an hour after the last part they go.
    await parts.sweep(Date.now() + UPLOAD_URL_TTL_MS - 60_000);
    expect(await partsOf(id)).toHaveLength(2);
    await parts.sweep(Date.now() + UPLOAD_URL_TTL_MS + 1000);
    expect(await partsOf(id)).toEqual([]);
  });

  it('a server sweeps such parts by itself when it starts', async () => {
    const secret = await newKey('part-abandoner-2');
    const { id, uploadUrl } = await initiateMultipart(secret);
    expect(await putPart(uploadUrl, 1, Buffer.alloc(MIB / 4, 1))).toBe(200);
    // Written an hour and a minute ago, as far as the store can tell.
    const then = new Date(Date.now() - UPLOAD_URL_TTL_MS - 60_000);
    const blobs = h.retake.blobs as LocalBlobStore;
    await utimes(blobs.pathOf(`parts/${id}/part-1`), then, then);
    const second = await buildServer(h.retake);
    try {
      await second.ready();
      await eventually(async () => ((await partsOf(id)).length === 0 ? true : undefined), 10_000, 20);
    } finally {
      await second.close();
    }
  });
});
