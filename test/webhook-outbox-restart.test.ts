/**
 * Webhook retries survive a restart. Before the outbox, retries lived in memory: a
 * receiver that answered 503 once and then recovered never heard about the job if the
 * server was killed in between (this test waited in vain for the second attempt). Now
 * the delivery waits in the store and the restarted worker sends it, with the same
 * delivery id and a valid signature, once.
 */
import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCaller, eventually, startServerProcess, type ServerProcess } from './support/server-process.ts';
import { shortClips, type ShortClips } from './support/short-clips.ts';
import { listenOn } from '../src/cli/free-port.ts';
import { scaled } from './support/deadline.ts';

const KEY = 'rtk_webhook_outbox_test_key_000000000000';
const SECRET = 'whsec_outbox_test';
let clips: ShortClips;
let dataDir: string;
let server: ServerProcess | undefined;
let hook: Server;
let hookUrl: string;
let answer = 503;
const calls: { status: number; headers: IncomingHttpHeaders; body: string }[] = [];
const api = apiCaller(() => server, KEY);

const env = () => ({
  RETAKE_DATA_DIR: dataDir, RETAKE_BOOTSTRAP_KEY: KEY, RETAKE_ALLOW_PRIVATE_URLS: '1',
  RETAKE_WEBHOOK_SECRET: SECRET, RETAKE_WEBHOOK_BACKOFF_MS: '400',
});

beforeAll(async () => {
  clips = await shortClips();
  dataDir = await mkdtemp(join(tmpdir(), 'retake-outbox-'));
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      calls.push({ status: answer, headers: req.headers, body });
      res.writeHead(answer).end();
    });
  });
  await listenOn(hook);
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  await server?.stop();
  await clips.close();
  hook.closeAllConnections();
  await new Promise((r) => hook.close(r));
  await rm(dataDir, { recursive: true, force: true });
});

describe('webhook outbox', () => {
  it('delivers a pending retry after the server was killed and restarted', async () => {
    server = await startServerProcess(env());
    const queued = await api('/api/ai/queue', {
      method: 'POST',
      body: JSON.stringify({ model: 'retake-local', prompt: 'sepia', input_video: clips.url('short.mp4'), webhook_url: hookUrl }),
    });
    const id: string = queued.generations[0].generation_id;
    // The receiver is down: the first attempt fails and a retry is pending.
    await eventually(async () => (calls.length >= 1 ? true : undefined), 60_000, 20);
    await server.kill();
    const failedAttempts = calls.length;

    answer = 204;
    server = await startServerProcess(env());
    await eventually(async () => (calls.some((c) => c.status === 204) ? true : undefined), 30_000, 50);
    // Give a duplicate time to show up before counting.
    await new Promise((r) => setTimeout(r, 1500));
    const delivered = calls.filter((c) => c.status === 204);
    expect(delivered).toHaveLength(1);
    expect(calls.length).toBeGreaterThan(failedAttempts);
    const { headers, body } = delivered[0]!;
    expect(JSON.parse(body)).toMatchObject({ type: 'media_generation_completed', generation_id: id, status: 'succeeded' });
    // The same delivery (same id) as the failed attempts, signed with the same scheme.
    expect(new Set(calls.map((c) => c.headers['x-retake-delivery'])).size).toBe(1);
    const [t, v1] = String(headers['x-retake-signature']).split(',').map((part) => part.split('=')[1]);
    const { key } = await api('/api/webhooks/secret') as { key: string };
    expect(v1).toBe(createHmac('sha256', key).update(`${t}.${body}`).digest('hex'));
  }, scaled(120_000));
});
