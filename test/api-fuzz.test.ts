/**
 * Property test: malformed requests thrown at every POST endpoint of a real server
 * process — retake's own API, the Replicate and fal protocols, and the uploads —
 * (random JSON, the right fields with wrong types, huge strings, non-JSON bytes, wrong
 * content types, and multipart bodies with missing, long or lying boundaries, parts
 * cut short, extra files, random bytes) are always refused as client errors, never a
 * 5xx. Afterwards the service is healthy and its memory is back near where it started.
 * 2,000 cases by default (RETAKE_FUZZ_RUNS changes it).
 */
import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { WebSocket } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const KEY = 'rtk_fuzz_test_key_0000000000000000000000';
const RUNS = Number(process.env.RETAKE_FUZZ_RUNS ?? 2000);
let server: ServerProcess;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'retake-fuzz-'));
  server = await startServerProcess({
    RETAKE_DATA_DIR: dataDir, RETAKE_BOOTSTRAP_KEY: KEY, RETAKE_ALLOW_PRIVATE_URLS: '1',
    RETAKE_RATE_LIMIT_SUBMIT: '0', RETAKE_RATE_LIMIT_READ: '0', RETAKE_MAX_UPLOAD_BYTES: String(1 << 20), RETAKE_LOG_LEVEL: 'silent',
    // The inspector lets the test run a full GC in the server before each measurement,
    // so garbage not yet collected is not mistaken for growth.
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --inspect=127.0.0.1:0`,
  });
});
afterAll(async () => {
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

interface Endpoint {
  path: string;
  /** The Authorization scheme the protocol takes. */
  scheme: 'Bearer' | 'Key';
  /** A random request may be a valid one here (uploads, upload grants): 2xx is fine too. */
  mayAccept?: boolean;
}

/** Every POST route (the test below checks the OpenAPI document lists no other under /api). */
const ENDPOINTS: Endpoint[] = [
  { path: '/api/ai/queue', scheme: 'Bearer' },
  { path: '/api/ai/videos/generate', scheme: 'Bearer' },
  { path: '/api/ai/estimate', scheme: 'Bearer' },
  { path: '/api/files', scheme: 'Bearer', mayAccept: true },
  { path: '/v1/predictions', scheme: 'Bearer' },
  { path: '/v1/models/retake/retake-local/predictions', scheme: 'Bearer' },
  { path: '/v1/predictions/00000000-0000-0000-0000-000000000000/cancel', scheme: 'Bearer' },
  { path: '/v1/files', scheme: 'Bearer', mayAccept: true },
  { path: '/fal/queue/retake/retake-local', scheme: 'Key' },
  { path: '/fal/run/retake/retake-local', scheme: 'Key' },
  { path: '/fal/rest/storage/upload/initiate', scheme: 'Key', mayAccept: true },
  { path: '/fal/rest/storage/upload/initiate-multipart', scheme: 'Key', mayAccept: true },
  { path: '/fal/rest/storage/uploads/00000000-0000-0000-0000-000000000000/complete', scheme: 'Key' },
];

interface Attempt {
  contentType: string | undefined;
  body: string | Uint8Array;
  idempotencyKey?: string | undefined;
}

const json = (contentType = 'application/json') => (value: unknown): Attempt => ({ contentType, body: JSON.stringify(value) ?? 'null' });

/** A value of any type except a non-empty string, so `prompt` can never be valid (no render starts). */
const notAString = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.anything(), { maxLength: 3 }), fc.object({ maxDepth: 1 }), fc.constant(''));

const notJson = fc.uint8Array({ minLength: 1, maxLength: 512 }).filter((b) => {
  try {
    JSON.parse(Buffer.from(b).toString('utf8'));
    return false;
  } catch {
    return true;
  }
});

const BOUNDARY_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'()+_,-./:=?".split('');

/** Multipart bodies, well-formed or not: boundaries absent, long or wrong, parts cut short, extra files, random bytes. */
const multipart: fc.Arbitrary<Attempt> = fc.record({
  boundary: fc.oneof(
    { weight: 4, arbitrary: fc.array(fc.constantFrom(...BOUNDARY_CHARS), { minLength: 1, maxLength: 70 }).map((c) => c.join('')) },
    { weight: 1, arbitrary: fc.integer({ min: 71, max: 400 }).map((n) => 'b'.repeat(n)) },
  ),
  header: fc.constantFrom('ok', 'none', 'quoted', 'other', 'empty'),
  parts: fc.array(fc.record({
    field: fc.oneof(fc.constantFrom('file', 'content', 'metadata', 'prompt'), fc.string({ maxLength: 20 })),
    filename: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
    type: fc.option(fc.constantFrom('video/mp4', 'image/png', 'text/html', 'image/svg+xml', 'application/json', 'x/y'), { nil: undefined }),
    content: fc.oneof(fc.uint8Array({ maxLength: 6000 }), fc.constantFrom('<script>alert(1)</script>', '{"a":1}', '')),
  }), { maxLength: 3 }),
  closed: fc.boolean(),
  cutAt: fc.option(fc.nat(), { nil: undefined }),
}).map(({ boundary, header, parts, closed, cutAt }): Attempt => {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.field.replace(/"/g, '')}"${p.filename === undefined ? '' : `; filename="${p.filename.replace(/["\r\n]/g, '')}"`}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n`));
    chunks.push(Buffer.from(p.content), Buffer.from('\r\n'));
  }
  if (closed) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  let body = Buffer.concat(chunks);
  if (cutAt !== undefined && body.length > 0) body = body.subarray(0, cutAt % body.length);
  const contentType = {
    ok: `multipart/form-data; boundary=${boundary}`,
    none: 'multipart/form-data',
    quoted: `multipart/form-data; boundary="${boundary}"`,
    other: 'multipart/form-data; boundary=not-the-one',
    empty: 'multipart/form-data; boundary=',
  }[header];
  return { contentType, body };
});

const attempts: fc.Arbitrary<Attempt> = fc.record({
  base: fc.oneof(
    // Random JSON values of every shape.
    { weight: 3, arbitrary: fc.jsonValue().map(json()) },
    // The right field names (retake's, fal's, Replicate's) with wrong types.
    {
      weight: 3,
      arbitrary: fc.record(
        {
          model: fc.oneof(fc.constant('retake-local'), fc.anything()),
          version: fc.anything(),
          prompt: notAString,
          input_video: fc.oneof(fc.webUrl(), fc.constant('http://127.0.0.1:1/files/uploads/%FF/a.mp4'), fc.anything()),
          video_url: fc.anything(),
          input: fc.oneof(fc.record({ prompt: notAString, input_video: fc.anything() }), fc.anything()),
          resolution: fc.oneof(fc.constantFrom('540p', '4k', ''), fc.anything()),
          duration: fc.anything(),
          edit_strength: fc.anything(),
          hdr: fc.anything(),
          num_generations: fc.oneof(fc.integer({ min: -3, max: 9 }), fc.double(), fc.string()),
          response_format: fc.anything(),
          webhook_url: fc.anything(),
          webhook: fc.anything(),
          content_type: fc.anything(),
          file_name: fc.anything(),
        },
        { requiredKeys: ['prompt'] },
      ).map(json()),
    },
    // Huge strings, inside and beyond the body limit.
    {
      weight: 1,
      arbitrary: fc.record({ size: fc.integer({ min: 2001, max: 2_000_000 }), field: fc.constantFrom('prompt', 'input_video', 'model', 'x') })
        .map(({ size, field }) => json()({ model: 'retake-local', [field]: 'a'.repeat(size), ...(field === 'prompt' ? {} : { prompt: 7 }) })),
    },
    // Bytes that are not JSON, announced as JSON.
    { weight: 2, arbitrary: notJson.map((body): Attempt => ({ contentType: 'application/json', body })) },
    // Plausible bodies under the wrong content type.
    {
      weight: 2,
      arbitrary: fc.tuple(
        fc.constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'image/png', 'application/octet-stream', 'video/mp4', undefined),
        fc.constantFrom('{"model":"retake-local","prompt":"noir","input_video":"https://example.com/a.mp4"}', 'model=retake-local', '\u0000\u0001'),
      ).map(([contentType, body]): Attempt => ({ contentType, body })),
    },
    // Multipart, to every endpoint (the upload routes parse it; the rest must refuse it).
    { weight: 4, arbitrary: multipart },
  ),
  idempotencyKey: fc.option(fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.constant('k'.repeat(300))), { nil: undefined, freq: 4 }),
}).map(({ base, idempotencyKey }) => ({ ...base, idempotencyKey }));

async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
}

/** Run a full garbage collection in the server (through its inspector), then read its RSS. */
async function rssAfterGc(): Promise<number> {
  const url = /ws:\/\/127\.0\.0\.1:\d+\/[\w-]+/.exec(server.output())?.[0];
  if (url) {
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener('open', () => resolve());
      ws.addEventListener('error', () => reject(new Error('inspector unreachable')));
    });
    await new Promise<void>((resolve) => {
      ws.addEventListener('message', (event) => {
        if (String(event.data).includes('"id":1')) resolve();
      });
      ws.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }));
    });
    ws.close();
  }
  return rssOf(server.child.pid!);
}

async function send(endpoint: Endpoint, attempt: Attempt): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { authorization: `${endpoint.scheme} ${KEY}` };
  if (attempt.contentType) headers['content-type'] = attempt.contentType;
  if (attempt.idempotencyKey) headers['idempotency-key'] = attempt.idempotencyKey;
  const res = await fetch(`${server.baseUrl}${endpoint.path}`, {
    method: 'POST', headers,
    body: typeof attempt.body === 'string' ? attempt.body : new Blob([new Uint8Array(attempt.body)]),
  });
  return { status: res.status, text: await res.text() };
}

describe('malformed requests to every POST endpoint', () => {
  it('covers every POST route the OpenAPI document lists', async () => {
    const doc = await (await fetch(`${server.baseUrl}/openapi.json`)).json() as { paths: Record<string, Record<string, unknown>> };
    const posts = Object.entries(doc.paths).filter(([, ops]) => 'post' in ops).map(([path]) => path);
    const covered = new Set(ENDPOINTS.map((e) => e.path.replace(/00000000-0000-0000-0000-000000000000/g, '{id}')));
    for (const path of posts) {
      const shaped = path.replace(/\{[^}]+\}/g, '{id}');
      const known = covered.has(shaped) || [...covered].some((c) => c.replace(/\/retake\/retake-local/, '/{owner}/{name}') === path);
      expect(known, `${path} is not fuzzed`).toBe(true);
    }
  });

  it(`are refused as client errors (${RUNS} cases), never a 5xx, and the service stays healthy`, async () => {
    let accepted = 0;
    const property = fc.asyncProperty(fc.constantFrom(...ENDPOINTS), attempts, async (endpoint, attempt) => {
      const { status, text } = await send(endpoint, attempt);
      if (endpoint.mayAccept && status >= 200 && status < 300) {
        accepted++;
        return;
      }
      expect(status, `${endpoint.path} ${attempt.contentType} → ${status} ${text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
      expect(status, `${endpoint.path} ${attempt.contentType} → ${status} ${text.slice(0, 300)}`).toBeLessThan(500);
      expect(text.length).toBeGreaterThan(0);
    });
    // The first quarter warms the server up (JIT, pools, allocator, caches); memory is
    // measured from there, so what is left is growth, not start-up.
    const warmUp = Math.ceil(RUNS / 4);
    await fc.assert(property, { numRuns: warmUp });
    const rssBefore = await rssAfterGc();
    await fc.assert(property, { numRuns: RUNS - warmUp });
    const health = await fetch(`${server.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect((await health.json()).status).toBe('ok');
    // Nothing was queued by any of it.
    const queued = await (await fetch(`${server.baseUrl}/api/ai/queue`, { headers: { authorization: `Bearer ${KEY}` } })).json();
    expect(queued.count).toBe(0);
    const rssAfter = await rssAfterGc();
    expect(rssAfter - rssBefore, `RSS ${Math.round(rssBefore / 2 ** 20)} → ${Math.round(rssAfter / 2 ** 20)} MB (${accepted} uploads accepted)`).toBeLessThan(20 * 1024 ** 2);
  }, 240_000);
});
