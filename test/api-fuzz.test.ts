/**
 * Property test: malformed bodies thrown at the generation endpoints of a listening
 * server (random JSON, wrong types, huge strings, non-JSON bytes, wrong content types)
 * are always refused as client errors, never a 5xx, and the service stays healthy.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../src/api/testing.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ listen: true });
});
afterAll(async () => h.close());

const ENDPOINTS = ['/api/ai/queue', '/api/ai/videos/generate', '/api/ai/estimate'] as const;
const CLIENT_ERRORS = [400, 413, 415, 422];

interface Attempt {
  contentType: string | undefined;
  body: string | Uint8Array;
}

const json = (contentType = 'application/json') => (value: unknown): Attempt => ({ contentType, body: JSON.stringify(value) ?? 'null' });

/** A value of any type except a non-empty string, so `prompt` can never be valid. */
const notAString = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.anything(), { maxLength: 3 }), fc.object({ maxDepth: 1 }), fc.constant(''));

const attempts: fc.Arbitrary<Attempt> = fc.oneof(
  // Random JSON values of every shape.
  fc.jsonValue().map(json()),
  // The right field names with wrong types.
  fc.record(
    {
      model: fc.oneof(fc.constant('retake-local'), fc.anything()),
      prompt: notAString,
      input_video: fc.oneof(fc.webUrl(), fc.anything()),
      resolution: fc.oneof(fc.constantFrom('540p', '4k', ''), fc.anything()),
      duration: fc.anything(),
      edit_strength: fc.anything(),
      hdr: fc.anything(),
      num_generations: fc.oneof(fc.integer({ min: -3, max: 9 }), fc.double(), fc.string()),
      response_format: fc.anything(),
      webhook_url: fc.anything(),
    },
    { requiredKeys: ['prompt'] },
  ).map(json()),
  // Huge strings, inside and beyond the body limit.
  fc.record({ size: fc.integer({ min: 2001, max: 3_000_000 }), field: fc.constantFrom('prompt', 'input_video', 'model', 'x') })
    .map(({ size, field }) => json()({ model: 'retake-local', [field]: 'a'.repeat(size), ...(field === 'prompt' ? {} : { prompt: 7 }) })),
  // Bytes that are not JSON, announced as JSON.
  fc.uint8Array({ minLength: 1, maxLength: 512 }).filter((b) => {
    try {
      JSON.parse(Buffer.from(b).toString('utf8'));
      return false;
    } catch {
      return true;
    }
  }).map((body): Attempt => ({ contentType: 'application/json', body })),
  // Plausible bodies under the wrong content type.
  fc.tuple(
    fc.constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=zz', 'image/png', 'application/octet-stream', undefined),
    fc.constantFrom('{"model":"retake-local","prompt":"noir","input_video":"https://example.com/a.mp4"}', 'model=retake-local', '\u0000\u0001'),
  ).map(([contentType, body]): Attempt => ({ contentType, body })),
);

describe('malformed generation bodies', () => {
  it('are refused with 400, 413, 415 or 422 and never crash the service', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ENDPOINTS), attempts, async (path, attempt) => {
        const res = await fetch(`${h.baseUrl}${path}`, {
          method: 'POST',
          headers: { ...h.auth, ...(attempt.contentType ? { 'content-type': attempt.contentType } : {}) },
          body: typeof attempt.body === 'string' ? attempt.body : new Blob([Buffer.from(attempt.body)]),
        });
        const text = await res.text();
        expect(CLIENT_ERRORS, `${res.status} ${text.slice(0, 300)}`).toContain(res.status);
        const body = JSON.parse(text);
        expect(body.status).toBe('error');
        expect(typeof body.error.type).toBe('string');
      }),
      { numRuns: 150 },
    );
    const health = await fetch(`${h.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect((await health.json()).status).toBe('ok');
    const queued = await fetch(`${h.baseUrl}/api/ai/queue`, { headers: h.auth });
    expect((await queued.json()).count).toBe(0);
  });
});
