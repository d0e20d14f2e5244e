import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../api/testing.ts';
import { rawRequest } from '../../test/support/raw-http.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ listen: true });
});
afterAll(async () => h.close());

/** Write raw bytes and read all the server writes until it closes the connection. */
function rawBytes(baseUrl: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    let text = '';
    socket.on('data', (chunk: Buffer) => { text += chunk.toString('latin1'); });
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

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

  it('bytes that are not HTTP get a 400 in the envelope, and the server goes on', async () => {
    const text = await rawBytes(h.baseUrl, 'HELLO THERE\r\n\r\n');
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toMatchObject({ error: { type: 'bad_request' }, status: 'error' });
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
  });
});
