/**
 * A webhook is not lost to a crash right after its generation ended. The server runs
 * as a real process with a preloaded module that SIGKILLs it the moment it logs
 * "generation succeeded" — after the final status is committed, before anything else
 * happens. Before, the delivery was queued after that commit (un-awaited), so it was
 * lost for good; now it is written in the same transaction as the final status. Three
 * generations (hub `webhook_url`, Replicate `webhook`, fal `?fal_webhook=`) each end
 * in such a crash; after the last restart every receiver has its webhook exactly once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startServerProcess, type ServerProcess } from './support/server-process.ts';
import { shortClips, type ShortClips } from './support/short-clips.ts';
import { scaled } from './support/deadline.ts';

const KEY = 'rtk_webhook_crash_test_key_0000000000000';
/** SIGKILL this process as it logs the end of a generation (the status is committed by then). */
const KILL_AT_END = [
  'const write = process.stdout.write.bind(process.stdout);',
  'process.stdout.write = (chunk, ...rest) => {',
  '  if (String(chunk).includes(\'"msg":"generation succeeded"\')) process.kill(process.pid, "SIGKILL");',
  '  return write(chunk, ...rest);',
  '};',
].join('\n');

let clips: ShortClips;
let dataDir: string;
let server: ServerProcess | undefined;
let hook: Server;
let hookUrl: string;
const received: { path: string; body: string }[] = [];

const env = (crash: boolean) => ({
  RETAKE_DATA_DIR: dataDir, RETAKE_BOOTSTRAP_KEY: KEY, RETAKE_ALLOW_PRIVATE_URLS: '1',
  RETAKE_WEBHOOK_BACKOFF_MS: '200', RETAKE_LEASE_MS: '800', RETAKE_LOG_LEVEL: 'info',
  ...(crash ? { NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(KILL_AT_END)}` } : {}),
});

async function post(path: string, body: unknown, auth: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${server!.baseUrl}${path}`, {
    method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  expect(res.status).toBeLessThan(300);
  return (await res.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  clips = await shortClips();
  dataDir = await mkdtemp(join(tmpdir(), 'retake-webhook-crash-'));
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await server?.stop();
  await clips.close();
  hook.closeAllConnections();
  await new Promise((r) => hook.close(r));
  await rm(dataDir, { recursive: true, force: true });
});

describe('a crash right after a generation ends', () => {
  it('still delivers its webhook, once, after a restart (hub, Replicate and fal)', async () => {
    let crashing = await startServerProcess(env(true));
    server = crashing;
    const video = clips.url('short.mp4');
    await post('/api/ai/queue', { model: 'retake-local', prompt: 'sepia', input_video: video, webhook_url: `${hookUrl}/hub` }, `Bearer ${KEY}`);
    await post('/v1/models/retake/retake-local/predictions', { input: { prompt: 'noir', input_video: video }, webhook: `${hookUrl}/replicate` }, `Bearer ${KEY}`);
    await post(`/fal/queue/retake/retake-local?fal_webhook=${encodeURIComponent(`${hookUrl}/fal`)}`, { prompt: 'pastel', video_url: video }, `Key ${KEY}`);

    // Each generation ends in a SIGKILL right after its final status is committed.
    for (let crash = 1; crash <= 3; crash++) {
      const { child } = crashing;
      await eventually(async () => (child.exitCode !== null || child.signalCode !== null ? true : undefined), 120_000, 50);
      expect(child.signalCode).toBe('SIGKILL');
      crashing = await startServerProcess(env(crash < 3));
      server = crashing;
    }

    await eventually(async () => (received.length >= 3 ? true : undefined), 60_000, 50);
    // Time for a duplicate to show up before counting.
    await new Promise((r) => setTimeout(r, 2000));
    expect(received.map((r) => r.path).sort()).toEqual(['/fal', '/hub', '/replicate']);
    const body = (path: string) => JSON.parse(received.find((r) => r.path === path)!.body) as Record<string, unknown>;
    expect(body('/hub')).toMatchObject({ type: 'media_generation_completed', status: 'succeeded' });
    expect(body('/replicate')).toMatchObject({ status: 'succeeded', output: expect.stringMatching(/\.mp4$/) });
    expect(body('/fal')).toMatchObject({ status: 'OK', payload: { video: { content_type: 'video/mp4' } } });
  }, scaled(400_000));
});
