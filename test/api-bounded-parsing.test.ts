/**
 * Bounded parsing on a served retake, over real HTTP, on all three APIs: a JSON body
 * 10,000 levels deep (with an Idempotency-Key, and on fal's proxy with no key at all),
 * path segments of thousands of characters (under /files and as input_video), cursors
 * holding numbers no database takes, `%FF` in a path, and a multipart part without a
 * field name. Each is a 4xx in retake's envelope (the hub's, Replicate's or fal's
 * dialect) with a catalogue code and no word of the server's internals; never a 5xx.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../src/api/testing.ts';
import { envelopeCode, INTERNAL_WORDS } from './support/error-envelope.ts';
import { rawRequest, type RawAnswer } from './support/raw-http.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ listen: true });
  // One real upload, so the uploads folder exists and a long name is looked up in it.
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(await readFile(new URL('./fixtures/media/london.jpg', import.meta.url)))]), 'london.jpg');
  expect((await fetch(`${h.baseUrl}/api/files`, { method: 'POST', headers: h.auth, body: form })).status).toBe(201);
});
afterAll(async () => {
  await h.close();
});

const auth = (path: string): Record<string, string> => ({ authorization: `${path.startsWith('/fal') ? 'Key' : 'Bearer'} ${h.secret}` });

function expectClientError(answer: RawAnswer, what: string): string {
  const text = `${what} → ${answer.status} ${answer.body.slice(0, 300)}`;
  expect(answer.status, text).toBeGreaterThanOrEqual(400);
  expect(answer.status, text).toBeLessThan(500);
  expect(answer.body, text).not.toMatch(INTERNAL_WORDS);
  const code = envelopeCode(answer.body);
  expect(code, text).toBeDefined();
  return code!;
}

const send = (method: string, path: string, headers: Record<string, string>, body?: string): Promise<RawAnswer> =>
  rawRequest(h.baseUrl, { method, path, headers, body });

/** Every POST of the three APIs that takes a JSON body. */
const JSON_POSTS = [
  '/api/ai/queue', '/api/ai/videos/generate', '/api/ai/estimate',
  '/v1/predictions', '/v1/models/retake/retake-local/predictions', '/v1/predictions/00000000-0000-0000-0000-000000000000/cancel',
  '/fal/queue/retake/retake-local', '/fal/run/retake/retake-local',
  '/fal/rest/storage/upload/initiate', '/fal/rest/storage/upload/initiate-multipart',
  '/fal/rest/storage/uploads/00000000-0000-0000-0000-000000000000/complete',
];

const DEEP_ARRAY = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
const DEEP_OBJECT = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;

describe('a JSON body 10,000 levels deep', () => {
  it.each(JSON_POSTS)('POST %s with an Idempotency-Key is a 400 bad_request', async (path) => {
    for (const [n, body] of [DEEP_ARRAY, DEEP_OBJECT].entries()) {
      const answer = await send('POST', path, { ...auth(path), 'content-type': 'application/json', 'idempotency-key': `deep-${n}` }, body);
      // fal's `complete` is authorised by its signed upload URL, checked before the body
      // is read: an unsigned call is refused as such, still never a 5xx.
      expect(expectClientError(answer, path)).toBe(path.endsWith('/complete') ? 'unauthorized' : 'bad_request');
    }
  });

  it("on fal's proxy, with no key at all, is a 400 bad_request", async () => {
    for (const body of [DEEP_ARRAY, DEEP_OBJECT]) {
      const answer = await send('POST', '/fal/proxy', { 'x-fal-target-url': 'https://queue.fal.run/retake/retake-local', 'content-type': 'application/json' }, body);
      expect(expectClientError(answer, '/fal/proxy')).toBe('bad_request');
    }
  });

  it('a body nested as deep as a real request is still read', async () => {
    const answer = await send('POST', '/api/ai/estimate', { ...auth('/api'), 'content-type': 'application/json' },
      JSON.stringify({ model: 'retake-local', prompt: 'noir', input_video: 'https://example.com/a.mp4', extra: [[[{ a: [1] }]]] }));
    expect(expectClientError(answer, 'estimate')).toBe('validation_error');
  });
});

describe('a path segment of thousands of characters', () => {
  const long = 'a'.repeat(5000);
  it.each([
    ['/files/uploads/<5,000>/a.mp4', `/files/uploads/${long}/a.mp4`],
    ['/files/uploads/abc/<5,000>.mp4', `/files/uploads/abc/${long}.mp4`],
    ['/files/outputs/<300>/video.mp4', `/files/outputs/${'b'.repeat(300)}/video.mp4`],
  ])('GET %s is a 404 file_not_found', async (_label, path) => {
    expect(expectClientError(await send('GET', path, {}), path.slice(0, 40))).toBe('file_not_found');
  });

  const cases: [string, (url: string) => Record<string, unknown>][] = [
    ['/api/ai/estimate', (url) => ({ model: 'retake-local', prompt: 'noir', input_video: url })],
    ['/api/ai/queue', (url) => ({ model: 'retake-local', prompt: 'noir', input_video: url })],
    ['/api/ai/videos/generate', (url) => ({ model: 'retake-local', prompt: 'noir', input_video: 'https://example.com/a.mp4', input_image: url })],
    ['/v1/predictions', (url) => ({ version: 'retake/retake-local', input: { prompt: 'noir', input_video: url } })],
    ['/v1/models/retake/retake-local/predictions', (url) => ({ input: { prompt: 'noir', input_video: url } })],
    ['/fal/queue/retake/retake-local', (url) => ({ prompt: 'noir', video_url: url })],
    ['/fal/run/retake/retake-local', (url) => ({ prompt: 'noir', video_url: url })],
  ];
  it.each(cases)('as input_video of POST %s is a 422 before anything is queued', async (path, body) => {
    for (const url of [`${h.baseUrl}/files/uploads/${long}/a.mp4`, `${h.baseUrl}/files/uploads/abc/${long}.mp4`]) {
      const answer = await send('POST', path, { ...auth(path), 'content-type': 'application/json' }, JSON.stringify(body(url)));
      expect(answer.status, answer.body.slice(0, 200)).toBe(422);
      expectClientError(answer, path);
    }
    expect((await h.retake.store.generations.list({ key_id: h.key.id, limit: 10, offset: 0 })).total).toBe(0);
  });

  it('as a path parameter is a 400, not a bare 414', async () => {
    for (const path of [`/v1/predictions/${'x'.repeat(300)}`, `/api/ai/queue/${'x'.repeat(300)}`, `/fal/queue/retake/retake-local/requests/${'x'.repeat(300)}/status`]) {
      expectClientError(await send('GET', path, auth(path)), path.slice(0, 30));
    }
  });
});

describe('page cursors', () => {
  const cursor = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
  it.each([
    ['{"o":1e300}', cursor('{"o":1e300}')],
    ['{"o":2**63}', cursor(`{"o":${2 ** 63}}`)],
    ['{"b":[1e300,"x"]}', cursor({ b: [1e300, 'x'] })],
    ['{"a":[-1,"x"]}', cursor({ a: [-1, 'x'] })],
    ['{"a":[1,"<5000 chars>"]}', cursor({ a: [1, 'x'.repeat(5000)] })],
    ['garbage', 'garbage'],
    ['%FF', '%FF'],
  ])('GET /v1/predictions?cursor=%s is a 400 bad_request', async (_label, value) => {
    const answer = await send('GET', `/v1/predictions?cursor=${value}`, auth('/v1'));
    expect(expectClientError(answer, value)).toBe('bad_request');
  });
});

describe('%FF in a path', () => {
  it.each([
    '/files/%FF', '/files/uploads/%FF/a.mp4', '/api/ai/queue/%FF', '/api/ai/models/%FF', '/v1/predictions/%FF',
    '/fal/queue/retake/retake-local/requests/%FF/status', '/%FF', '/api/%FF/queue',
  ])('GET %s answers in the envelope', async (path) => {
    expect(expectClientError(await send('GET', path, auth(path)), path)).toBe('bad_request');
  });
});

describe('a multipart part without a field name', () => {
  it.each(['/api/files', '/v1/files'])('POST %s is a 4xx with no internal message', async (path) => {
    const boundary = 'XyZzy';
    for (const disposition of ['form-data; filename="a.mp4"', 'form-data', 'form-data; name', 'attachment; filename="a.jpg"']) {
      const body = `--${boundary}\r\nContent-Disposition: ${disposition}\r\nContent-Type: video/mp4\r\n\r\nhello\r\n--${boundary}--\r\n`;
      const answer = await send('POST', path, { ...auth(path), 'content-type': `multipart/form-data; boundary=${boundary}` }, body);
      expectClientError(answer, `${path} ${disposition}`);
      expect(answer.body).not.toContain('undefined');
    }
  });
});
