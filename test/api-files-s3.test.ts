/**
 * retake with its blobs in S3 (s3rver on loopback; it accepts any signature, signing is
 * covered in blobs-s3.test.ts): an upload lands in the bucket, not on disk; a job reads
 * it from there and writes its output there; `/files` serves both with Range, or
 * redirects to a presigned URL when RETAKE_S3_PRESIGN_S is set.
 */
import { randomUUID } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../src/api/testing.ts';
import { S3RVER_CREDENTIALS, startS3Server, type S3Server } from './support/s3-server.ts';
import { eventually } from './support/server-process.ts';
import { scaled } from './support/deadline.ts';

const CLIP = new URL('./fixtures/media/portrait.mp4', import.meta.url).pathname;
let s3: S3Server;
let h: Harness;
let presigning: Harness;

beforeAll(async () => {
  // The SDK's standard variables, as an operator would set them.
  process.env.AWS_ACCESS_KEY_ID = S3RVER_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = S3RVER_CREDENTIALS.secretAccessKey;
  s3 = await startS3Server();
  const s3Config = { bucket: s3.bucket, endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, presignS: 0 };
  h = await startHarness({ listen: true, role: 'all', config: { s3: s3Config, maxAttempts: 1 } });
  presigning = await startHarness({ config: { s3: { ...s3Config, presignS: 120 } } });
});
afterAll(async () => {
  await h?.close();
  await presigning?.close();
  await s3?.close();
});

async function upload(): Promise<{ url: string; bytes: number }> {
  const form = new FormData();
  form.append('file', new Blob([await readFile(CLIP)], { type: 'video/mp4' }), 'portrait.mp4');
  const res = await fetch(`${h.baseUrl}/api/files`, { method: 'POST', headers: h.auth, body: form });
  expect(res.status).toBe(201);
  return (await res.json()) as { url: string; bytes: number };
}

describe('blobs in S3', () => {
  it('keeps an upload in the bucket and serves it with Range', async () => {
    const clip = await readFile(CLIP);
    const up = await upload();
    expect(up.bytes).toBe(clip.length);
    const key = up.url.slice(`${h.baseUrl}/files/`.length);
    expect(await h.retake.blobs.stat(key)).toEqual({ bytes: clip.length, contentType: 'video/mp4' });
    // Nothing of it on the API host's disk.
    expect(await readdir(join(h.retake.config.dataDir))).not.toContain('blobs');

    const part = await fetch(up.url, { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${clip.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(clip.subarray(100, 200))).toBe(true);
  });

  it('renders from the bucket into the bucket', async () => {
    const up = await upload();
    const res = await fetch(`${h.baseUrl}/api/ai/queue`, {
      method: 'POST', headers: { ...h.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'retake-local', prompt: 'pencil sketch', input_video: up.url }),
    });
    const id = ((await res.json()) as { generations: { generation_id: string }[] }).generations[0]!.generation_id;
    const row = await eventually(async () => {
      const r = (await (await fetch(`${h.baseUrl}/api/ai/queue/${id}`, { headers: h.auth })).json()) as { status: string; result_url: string };
      return r.status === 'succeeded' || r.status === 'failed' ? r : undefined;
    }, 120_000, 200);
    expect(row.status).toBe('succeeded');
    const key = row.result_url.slice(`${h.baseUrl}/files/`.length);
    const info = await h.retake.blobs.stat(key);
    expect(info?.contentType).toBe('video/mp4');
    const video = await fetch(row.result_url);
    expect(video.status).toBe(200);
    expect((await video.arrayBuffer()).byteLength).toBe(info!.bytes);
    // The render's work files are gone from the worker's disk.
    expect(await readdir(h.retake.blobs.tmpDir)).toEqual([]);
  }, scaled(150_000));

  it('redirects downloads to a short-lived presigned URL when configured', async () => {
    const clip = await readFile(CLIP);
    const up = await upload();
    const path = new URL(up.url).pathname;
    const res = await presigning.app.inject({ method: 'GET', url: path });
    expect(res.statusCode).toBe(302);
    const location = new URL(res.headers.location as string);
    expect(location.origin).toBe(s3.endpoint);
    expect(location.searchParams.get('X-Amz-Expires')).toBe('120');
    // The bucket answers with the type retake sniffed at upload, inline (it is a video).
    expect(location.searchParams.get('response-content-type')).toBe('video/mp4');
    expect(location.searchParams.has('response-content-disposition')).toBe(false);
    const direct = await fetch(location, { headers: { range: 'bytes=0-9' } });
    expect(direct.status).toBe(206);
    expect(direct.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await direct.arrayBuffer()).equals(clip.subarray(0, 10))).toBe(true);
    // A missing file is still a 404 from retake, not a redirect to nothing.
    expect((await presigning.app.inject({ method: 'GET', url: '/files/outputs/nope/video.mp4' })).statusCode).toBe(404);
  });

  it('streams anything but video and images through retake even when presigning, with its safety headers', async () => {
    // S3 cannot send nosniff or a CSP: a zip sidecar (or an old blob stored as HTML)
    // must not reach a browser from the bucket as a page.
    const key = `outputs/${randomUUID()}/frames.zip`;
    await presigning.retake.blobs.putStream(Readable.from([Buffer.from('<html><script>alert(1)</script>')]), key, 'application/zip', 1000);
    const res = await presigning.app.inject({ method: 'GET', url: `/files/${key}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers.location).toBeUndefined();
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toMatch(/sandbox/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="frames.zip"');
    expect(res.body).toBe('<html><script>alert(1)</script>');
  });
});
