/**
 * A queue request with `webhook_url` gets the completion POSTed to that URL when the
 * job ends, signed with its key's webhook secret (read from `GET /api/webhooks/secret`):
 * another key's secret, or the server's own, does not verify it.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../src/api/testing.ts';
import { startMediaServer, type MediaServer } from './support/media-server.ts';
import { listenOn } from '../src/cli/free-port.ts';

let h: Harness;
let media: MediaServer;
let hook: Server;
let hookUrl: string;
const calls: { headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  media = await startMediaServer();
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      calls.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await listenOn(hook);
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/retake`;
  h = await startHarness({ role: 'all', config: { webhookSecret: 'whsec_test' } });
});

afterAll(async () => {
  await h.close();
  await media.close();
  await new Promise((r) => hook.close(r));
});

it('POSTs the signed completion to webhook_url', async () => {
  const res = await h.app.inject({
    method: 'POST', url: '/api/ai/queue', headers: h.auth,
    payload: { model: 'retake-local', prompt: 'sepia', input_video: media.url('portrait.mp4'), webhook_url: hookUrl },
  });
  expect(res.statusCode).toBe(200);
  const id: string = res.json().generations[0].generation_id;
  const end = Date.now() + 60_000;
  while (calls.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  expect(calls).toHaveLength(1);
  const { headers, body } = calls[0]!;
  expect(JSON.parse(body)).toMatchObject({ type: 'media_generation_completed', generation_id: id, status: 'succeeded', url: expect.stringMatching(/\.mp4$/) });
  const [t, v1] = String(headers['x-retake-signature']).split(',').map((part) => part.split('=')[1]);
  const secretOf = async (auth: Record<string, string>) => (await h.app.inject({ method: 'GET', url: '/api/webhooks/secret', headers: auth })).json<{ key: string }>().key;
  const mine = await secretOf(h.auth);
  expect(mine).toMatch(/^whsec_/);
  const sign = (secret: string) => createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  expect(v1).toBe(sign(mine));
  // One key's signed payload does not verify at another key's receiver.
  const other = await h.retake.keys.create({ name: 'other' });
  const theirs = await secretOf({ authorization: `Bearer ${other.secret}` });
  expect(theirs).not.toBe(mine);
  expect(v1).not.toBe(sign(theirs));
  expect(v1).not.toBe(sign('whsec_test'));
});

it('refuses a webhook_url that is not http(s) before queueing', async () => {
  const res = await h.app.inject({
    method: 'POST', url: '/api/ai/queue', headers: h.auth,
    payload: { model: 'retake-local', prompt: 'sepia', input_video: media.url('portrait.mp4'), webhook_url: 'ftp://example.com/x' },
  });
  expect(res.statusCode).toBe(422);
  expect(res.json().error.fields.map((f: { field: string }) => f.field)).toContain('webhook_url');
});
