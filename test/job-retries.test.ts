/**
 * Only transient failures are retried: an input server that answers 503 once gets a
 * second attempt and the job succeeds (charged once); a 404 fails the job at once with
 * its own error code, after a single attempt.
 */
import { createReadStream } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../src/api/testing.ts';
import { MEDIA_DIR } from './support/media-server.ts';
import { listenOn } from '../src/cli/free-port.ts';

let h: Harness;
let flaky: Server;
let base: string;
const hits = new Map<string, number>();

beforeAll(async () => {
  flaky = createServer((req, res) => {
    const n = (hits.get(req.url!) ?? 0) + 1;
    hits.set(req.url!, n);
    if (req.url === '/once-unavailable.mp4' && n === 1) return void res.writeHead(503).end();
    if (req.url === '/missing.mp4') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'video/mp4' });
    createReadStream(`${MEDIA_DIR}portrait.mp4`).pipe(res);
  });
  await listenOn(flaky);
  base = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}`;
  h = await startHarness({ role: 'all' });
});

afterAll(async () => {
  await h.close();
  await new Promise((r) => flaky.close(r));
});

async function run(path: string) {
  const [row] = await h.retake.generations.submit({
    key: h.key, model: 'retake-local', body: { prompt: 'noir', input_video: `${base}${path}` },
  });
  return h.retake.generations.waitForTerminal(row!.id, 60_000);
}

describe('retries', () => {
  it('retries a 503 from the input server and then succeeds', async () => {
    const done = await run('/once-unavailable.mp4');
    expect(done.status).toBe('succeeded');
    expect(done.attempts).toBe(2);
    expect(hits.get('/once-unavailable.mp4')).toBe(2);
  });

  it('fails a 404 at once, without retrying', async () => {
    const done = await run('/missing.mp4');
    expect(done).toMatchObject({ status: 'failed', error_code: 'input_http_error', attempts: 1 });
    expect(done.error_message).toMatch(/404/);
    expect(hits.get('/missing.mp4')).toBe(1);
  });
});
