import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../testing.ts';
import { sanitiseFilename } from '../../http/uploads/filename.ts';

const LIMIT = 64 * 1024;
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ config: { maxUploadBytes: LIMIT } });
});
afterAll(async () => h.close());

function multipart(name: string, content: Buffer, type = 'video/mp4'): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----retake-test-boundary';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, content, tail]), headers: { ...h.auth, 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** `size` bytes that begin like an MP4 (an `ftyp` box), so the upload sniffs as video. */
function mp4Like(size: number, fill?: number): Buffer {
  const body = fill === undefined ? Buffer.from(Array.from({ length: size }, (_, i) => i % 256)) : Buffer.alloc(size, fill);
  Buffer.from('\0\0\0\x18ftypisom\0\0\x02\0isomiso2', 'latin1').copy(body);
  return body;
}

const bytes = mp4Like(1000);

async function upload(name: string, content: Buffer) {
  return h.app.inject({ method: 'POST', url: '/api/files', ...multipart(name, content) });
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('uploads and file serving', () => {
  it('stores an upload and serves it back whole', async () => {
    const res = await upload('my clip (1).mp4', bytes);
    expect(res.statusCode).toBe(201);
    const file = res.json();
    expect(file).toMatchObject({ filename: 'my_clip_1_.mp4', content_type: 'video/mp4', bytes: 1000 });
    expect(file.url).toBe(`${h.baseUrl}/files/uploads/${file.id}/my_clip_1_.mp4`);
    const get = await h.app.inject({ method: 'GET', url: new URL(file.url).pathname });
    expect(get.statusCode).toBe(200);
    expect(get.headers['accept-ranges']).toBe('bytes');
    expect(get.headers['content-type']).toBe('video/mp4');
    expect(get.rawPayload.equals(bytes)).toBe(true);
  });

  it('serves byte ranges for seeking', async () => {
    const path = new URL((await upload('seek.mp4', bytes)).json().url).pathname;
    const range = async (value: string) => h.app.inject({ method: 'GET', url: path, headers: { range: value } });
    const mid = await range('bytes=10-19');
    expect(mid.statusCode).toBe(206);
    expect(mid.headers['content-range']).toBe('bytes 10-19/1000');
    expect(mid.rawPayload.equals(bytes.subarray(10, 20))).toBe(true);
    const open = await range('bytes=990-');
    expect(open.headers['content-range']).toBe('bytes 990-999/1000');
    expect(open.rawPayload.length).toBe(10);
    const suffix = await range('bytes=-5');
    expect(suffix.rawPayload.equals(bytes.subarray(995))).toBe(true);
    const past = await range('bytes=5000-');
    expect(past.statusCode).toBe(416);
    expect(past.headers['content-range']).toBe('bytes */1000');
    const head = await h.app.inject({ method: 'HEAD', url: path });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe('1000');
    expect(head.rawPayload.length).toBe(0);
  });

  it('refuses an upload over the limit with 413 and keeps nothing', async () => {
    const before = await filesUnder(join(h.retake.config.dataDir, 'blobs'));
    const res = await upload('big.mp4', mp4Like(LIMIT + 1, 7));
    expect(res.statusCode).toBe(413);
    expect(res.json().error.type).toBe('payload_too_large');
    expect(await filesUnder(join(h.retake.config.dataDir, 'blobs'))).toEqual(before);
    const exact = await upload('exact.mp4', mp4Like(LIMIT, 7));
    expect(exact.statusCode).toBe(201);
  });

  it('never turns a request path into a file path', async () => {
    for (const url of ['/files/../../etc/passwd', '/files/uploads/..%2F..%2Fapi.db', '/files/%2Fetc%2Fpasswd', '/files/api.db', '/files/meta/x/y.json']) {
      const res = await h.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
    }
  });

  it('needs a key and a multipart body to upload', async () => {
    const anon = await h.app.inject({ method: 'POST', url: '/api/files', ...multipart('a.mp4', bytes), headers: { 'content-type': 'multipart/form-data; boundary=x' } });
    expect(anon.statusCode).toBe(401);
    const json = await h.app.inject({ method: 'POST', url: '/api/files', headers: h.auth, payload: { file: 'x' } });
    expect(json.statusCode).toBe(415);
  });

  it('sanitises client file names', () => {
    expect(sanitiseFilename('../../etc/passwd')).toBe('passwd');
    expect(sanitiseFilename('C:\\Users\\me\\clip.mov')).toBe('clip.mov');
    expect(sanitiseFilename('...')).toBe('upload');
    expect(sanitiseFilename(undefined)).toBe('upload');
  });
});
