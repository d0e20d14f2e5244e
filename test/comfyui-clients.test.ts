/**
 * The Wan VACE example model against a stand-in ComfyUI, through the other doors that
 * share the job path: Replicate's official client, fal's official client (with the
 * documented URL rewrite) and the `retake run --server` CLI. One call each: each ends
 * in a real video rendered by the stand-in from the prompt it was given.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createFalClient } from '@fal-ai/client';
import Replicate from 'replicate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../src/api/testing.ts';
import { probeMedia } from '../src/engines/local/probe.ts';
import { MODEL_ID, writeModelsFile } from './support/comfyui/models-file.ts';
import { startComfyStandin, type ComfyStandin } from './support/comfyui/standin.ts';
import { MEDIA_DIR, startMediaServer, type MediaServer } from './support/media-server.ts';

const BIN = resolve('bin/retake.js');
let comfy: ComfyStandin;
let media: MediaServer;
let dir: string;
let h: Harness;

beforeAll(async () => {
  [comfy, media] = await Promise.all([startComfyStandin(), startMediaServer()]);
  dir = await mkdtemp(join(tmpdir(), 'retake-comfy-clients-'));
  const path = await writeModelsFile(dir, [comfy.url]);
  h = await startHarness({ role: 'all', listen: true, config: { modelsFile: path, comfyPollMs: 50, logLevel: 'error' } });
});
afterAll(async () => {
  await h?.close();
  await Promise.all([comfy?.close(), media?.close()]);
  await rm(dir, { recursive: true, force: true });
});

const isMp4 = async (url: string) => {
  const res = await fetch(url);
  return res.ok && Buffer.from(await res.arrayBuffer()).subarray(4, 8).toString('latin1') === 'ftyp';
};
const lastPrompt = () => comfy.submissions.at(-1)!.graph['6']!.inputs.text;

describe('the ComfyUI model through the official clients and the CLI', () => {
  it("Replicate's client: run() answers the rendered video", async () => {
    const replicate = new Replicate({ auth: h.secret, baseUrl: `${h.baseUrl}/v1` });
    const output = await replicate.run(`retake/${MODEL_ID}`, { input: { prompt: 'replicate says hi', input_video: media.url('portrait.mp4') } });
    expect(output).toEqual(expect.stringContaining('/files/outputs/'));
    expect(await isMp4(output as unknown as string)).toBe(true);
    expect(lastPrompt()).toBe('replicate says hi');
  });

  it("fal's client: subscribe() answers the rendered video", async () => {
    const mounts: Record<string, string> = { 'queue.fal.run': 'queue', 'fal.run': 'run', 'rest.fal.ai': 'rest' };
    const fal = createFalClient({
      credentials: h.secret,
      requestMiddleware: async (request) => {
        const url = new URL(request.url);
        return { ...request, url: `${h.baseUrl}/fal/${mounts[url.host]}${url.pathname}${url.search}` };
      },
    });
    const result = await fal.subscribe(`retake/${MODEL_ID}`, { input: { prompt: 'fal says hi', video_url: media.url('portrait.mp4') }, pollInterval: 100 });
    const video = (result.data as { video: { url: string } }).video;
    expect(await isMp4(video.url)).toBe(true);
    expect(lastPrompt()).toBe('fal says hi');
  });

  it('the CLI: retake run --server --model uploads the clip and writes the video', async () => {
    const target = join(dir, 'cli.mp4');
    const run = await new Promise<{ code: number | null; stderr: string }>((done) => {
      const child = spawn(process.execPath, [BIN, 'run', '--server', h.baseUrl, '--model', MODEL_ID, join(MEDIA_DIR, 'portrait.mp4'), '--prompt', 'cli says hi', '-o', target], {
        env: { ...process.env, RETAKE_KEY: h.secret, RETAKE_URL: '', RETAKE_LOG_LEVEL: 'silent' }, stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('close', (code) => done({ code, stderr }));
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/KSampler \(node 3\)/);
    expect(lastPrompt()).toBe('cli says hi');
    const facts = await probeMedia(target);
    expect([facts.width, facts.height]).toEqual([544, 816]);
  });
});
