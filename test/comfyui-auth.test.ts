/**
 * ComfyUI behind a reverse proxy that wants a bearer token: the header a models file
 * declares for its servers (`${COMFY_TOKEN}` from the environment) goes with every call
 * retake makes — the start check, uploads, the prompt, the queue and history, the
 * download, and the WebSocket — so a job runs; a caller without it is refused.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startHarness, type Harness } from '../src/api/testing.ts';
import { MODEL_ID, writeModelsFile } from './support/comfyui/models-file.ts';
import { startComfyStandin, type ComfyStandin } from './support/comfyui/standin.ts';
import { startMediaServer, type MediaServer } from './support/media-server.ts';
import { eventually } from './support/server-process.ts';

const TOKEN = 'proxy-token-0123456789';
let comfy: ComfyStandin;
let media: MediaServer;
let dir: string;
let h: Harness;

beforeAll(async () => {
  [comfy, media] = await Promise.all([startComfyStandin({ token: TOKEN }), startMediaServer()]);
  dir = await mkdtemp(join(tmpdir(), 'retake-comfy-auth-'));
  process.env.COMFY_TOKEN = TOKEN;
  const path = await writeModelsFile(dir, [comfy.url], [], { headers: { Authorization: 'Bearer ${COMFY_TOKEN}' } });
  h = await startHarness({ role: 'all', config: { modelsFile: path, comfyPollMs: 50, logLevel: 'error' } });
});
afterAll(async () => {
  delete process.env.COMFY_TOKEN;
  await h?.close();
  await Promise.all([comfy?.close(), media?.close()]);
  await rm(dir, { recursive: true, force: true });
});

/** What a WebSocket to `url` comes to: `open`, or the refusal. */
const socketOutcome = (url: string, headers: Record<string, string> = {}) => new Promise<string>((resolve) => {
  const ws = new WebSocket(url, { headers });
  ws.on('open', () => { ws.close(); resolve('open'); });
  ws.on('error', () => resolve('refused'));
});

describe('ComfyUI behind a token', () => {
  it('sends the declared header on every HTTP call and on the socket, and a job runs', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/ai/queue', headers: h.auth, payload: { model: MODEL_ID, prompt: 'behind a proxy', input_video: media.url('portrait.mp4') } });
    expect(res.statusCode, res.body).toBe(200);
    const id = res.json().generations[0].generation_id as string;
    const done = await eventually(async () => {
      const r = (await h.app.inject({ method: 'GET', url: `/api/ai/queue/${id}`, headers: h.auth })).json();
      return ['succeeded', 'failed', 'cancelled'].includes(r.status) ? r : undefined;
    }, 60_000, 50);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    expect(comfy.requests.refused).toEqual([]);
    const routes = new Set(comfy.requests.let_in.map((r) => r.replace(/ \/api\//, ' /').replace(/\/history\/.*/, '/history/{id}')));
    for (const route of ['GET /object_info', 'POST /upload/image', 'POST /prompt', 'GET /history/{id}', 'GET /queue', 'GET /view', 'WS /ws']) {
      expect([...routes], route).toContain(route);
    }
  });

  it('refuses a caller without the token, over HTTP and WebSocket', async () => {
    expect((await fetch(`${comfy.url}/queue`)).status).toBe(401);
    expect((await fetch(`${comfy.url}/queue`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    const ws = comfy.url.replace(/^http/, 'ws');
    expect(await socketOutcome(`${ws}/ws?clientId=nobody`)).toBe('refused');
    expect(await socketOutcome(`${ws}/ws?clientId=somebody`, { authorization: `Bearer ${TOKEN}` })).toBe('open');
  });
});
