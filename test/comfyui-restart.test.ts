/**
 * retake SIGKILLed while ComfyUI runs its prompt, then restarted on the same data
 * directory: the next attempt finds the checkpointed prompt id and follows it (the
 * stand-in still runs it) instead of queuing it again, so the stand-in counts exactly
 * one submission and the generation one result.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_ID, writeModelsFile } from './support/comfyui/models-file.ts';
import { startComfyStandin, type ComfyStandin } from './support/comfyui/standin.ts';
import { startMediaServer, type MediaServer } from './support/media-server.ts';
import { apiCaller, eventually, startServerProcess, type ServerProcess } from './support/server-process.ts';
import { until } from './support/until.ts';
import { scaled } from './support/deadline.ts';

const KEY = 'rtk_comfyui_restart_test_key_00000000000';
let comfy: ComfyStandin;
let media: MediaServer;
let dataDir: string;
let modelsFile: string;
let server: ServerProcess | undefined;

const env = () => ({
  RETAKE_DATA_DIR: dataDir,
  RETAKE_BOOTSTRAP_KEY: KEY,
  RETAKE_ALLOW_PRIVATE_URLS: '1',
  RETAKE_LEASE_MS: '1500',
  RETAKE_MODELS_FILE: modelsFile,
  RETAKE_COMFYUI_POLL_MS: '50',
});
const api = apiCaller(() => server, KEY);

beforeAll(async () => {
  [comfy, media] = await Promise.all([startComfyStandin(), startMediaServer()]);
  dataDir = await mkdtemp(join(tmpdir(), 'retake-comfy-restart-'));
  modelsFile = await writeModelsFile(dataDir, [comfy.url]);
});
afterAll(async () => {
  await server?.stop();
  await Promise.all([comfy.close(), media.close()]);
  await rm(dataDir, { recursive: true, force: true });
});

describe('a ComfyUI job across a retake crash', () => {
  it('follows the checkpointed prompt after a SIGKILL: one submission, one result', async () => {
    comfy.script.holdRunning = true;
    server = await startServerProcess(env());
    const queued = await api('/api/ai/queue', {
      method: 'POST',
      body: JSON.stringify({ model: MODEL_ID, prompt: 'charcoal', input_video: media.url('portrait.mp4') }),
    });
    const id: string = queued.generations[0].generation_id;
    await until(() => comfy.runningId() !== undefined, 60_000);
    await server.kill();
    expect(comfy.submissions).toHaveLength(1);

    server = await startServerProcess(env());
    comfy.script.holdRunning = false;
    const done = await eventually(async () => {
      const row = await api(`/api/ai/queue/${id}`);
      return ['succeeded', 'failed', 'cancelled'].includes(row.status) ? row : undefined;
    }, 90_000, 100);

    expect(done).toMatchObject({ status: 'succeeded', error_message: null });
    expect(comfy.submissions).toHaveLength(1);
    expect(comfy.completed).toEqual([comfy.submissions[0]!.prompt_id]);
    expect(done.interpretation.provider_request_id).toBe(comfy.submissions[0]!.prompt_id);
    expect(done.warnings.join(' ')).not.toMatch(/queued once more/);
    const video = await fetch(done.result_url);
    expect(video.status).toBe(200);
    expect(Number(video.headers.get('content-length'))).toBeGreaterThan(1000);
  }, scaled(180_000));
});
