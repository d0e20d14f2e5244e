import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../api/testing.ts';
import { rawRequest } from '../../test/support/raw-http.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ listen: true });
});
afterAll(async () => h.close());

describe('requests refused by the HTTP parser', () => {
  it.each(['/api/ai/queue', '/v1/predictions', '/fal/queue/retake/retake-local'])(
    'a 17 KB path on %s gets a 431 in the envelope with what to do',
    async (route) => {
      const answer = await rawRequest(h.baseUrl, { method: 'POST', path: `${route}/${'a'.repeat(17_000)}`, headers: { ...h.auth, 'content-type': 'application/json' }, body: '{}' });
      expect(answer.status).toBe(431);
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(answer.body)).toEqual({
        error: {
          type: 'headers_too_large', title: 'Request line or headers too large',
          detail: expect.stringContaining('Send a shorter URL') as unknown,
        },
        status: 'error', status_message: 'headers_too_large',
      });
    },
  );

  it('a request line that is not HTTP gets a 400 in the envelope, and the server goes on', async () => {
    // No method of HTTP's: the parser refuses the line before Fastify sees it.
    const answer = await rawRequest(h.baseUrl, { method: 'HELLO', path: '/' });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { type: 'bad_request' }, status: 'error' });
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
  });
});
