/**
 * A JSON body past the limit, over a real socket: the 413 names the JSON body limit
 * (not the upload limit) and says where media belongs, and a client still sending when
 * the answer comes finishes sending and reads it, on a connection that stays usable,
 * on retake's own API and on the protocol scopes alike.
 */
import { Agent, request, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JSON_BODY_LIMIT } from '../http/json-body-limit.ts';
import { startHarness, type Harness } from './testing.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ listen: true });
});
afterAll(async () => h?.close());

interface Answer {
  status: number;
  body: string;
  /** Whether the client's socket failed (EPIPE, ECONNRESET) while it was still sending. */
  writeError: Error | undefined;
}

/**
 * POST a body of `size` bytes the way a slow client does: the first 64 KiB, then
 * nothing more until the answer has arrived, then the rest.
 */
function postSlowly(path: string, size: number, agent: Agent, headers: Record<string, string>): Promise<Answer> {
  const body = Buffer.alloc(size, 'x');
  body.write('{"model":"retake-local","prompt":"');
  body.write('"}', size - 2);
  return new Promise((resolve, reject) => {
    let writeError: Error | undefined;
    const req = request(`${h.baseUrl}${path}`, {
      method: 'POST', agent,
      headers: { ...headers, 'content-type': 'application/json', 'content-length': String(size) },
    });
    req.on('error', (err) => {
      writeError = err;
    });
    req.on('response', (res: IncomingMessage) => {
      // The answer came before the body was sent: send the rest now, as a client that
      // writes its whole body before it reads does.
      req.end(body.subarray(64 * 1024), () => undefined);
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        // Let a write error from the rest of the body surface before judging.
        setImmediate(() => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), writeError }));
      });
      res.on('error', reject);
    });
    req.write(body.subarray(0, 64 * 1024));
  });
}

describe('a JSON body past the limit', () => {
  it('is a 413 naming the JSON body limit, read to its end so the client sees it, on a connection that stays open', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const answer = await postSlowly('/api/ai/queue', 1_300_000, agent, { authorization: `Bearer ${h.secret}` });
      expect(answer.writeError).toBeUndefined();
      expect(answer.status).toBe(413);
      const { error } = JSON.parse(answer.body) as { error: { type: string; detail: string } };
      expect(error.type).toBe('payload_too_large');
      expect(error.detail).toContain(`${JSON_BODY_LIMIT} bytes`);
      expect(error.detail).toContain('JSON');
      expect(error.detail).toContain('POST /api/files');
      expect(error.detail).not.toContain('RETAKE_MAX_UPLOAD_BYTES');
      // The same connection answers the next request.
      const next = await new Promise<number>((resolve, reject) => {
        request(`${h.baseUrl}/healthz`, { agent }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }).on('error', reject).end();
      });
      expect(next).toBe(200);
    } finally {
      agent.destroy();
    }
  });

  it('is answered the same way on the Replicate protocol', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const answer = await postSlowly('/v1/predictions', 1_300_000, agent, { authorization: `Bearer ${h.secret}` });
      expect(answer.writeError).toBeUndefined();
      expect(answer.status).toBe(413);
      expect(answer.body).toContain(`${JSON_BODY_LIMIT} bytes`);
    } finally {
      agent.destroy();
    }
  });
});
