/**
 * Control of ComfyUI jobs from retake: a cancel reaches the stand-in (a pending prompt is
 * deleted from its queue, a running one interrupted by its id); a ComfyUI restart that
 * forgets the running prompt ends in one resubmission and a warning; two servers share
 * jobs (in-flight limit 1, shortest queue) and one going down sends new jobs to the
 * other; a workflow with a node type the server lacks is refused at start, naming it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../src/api/testing.ts';
import { exampleWorkflow, MODEL_ID, writeModelsFile } from './support/comfyui/models-file.ts';
import { startComfyStandin, type ComfyStandin } from './support/comfyui/standin.ts';
import { startMediaServer, type MediaServer } from './support/media-server.ts';
import { eventually } from './support/server-process.ts';
import { until } from './support/until.ts';

let a: ComfyStandin;
let b: ComfyStandin;
let media: MediaServer;
let dir: string;
let h: Harness;

beforeAll(async () => {
  [a, b, media] = await Promise.all([startComfyStandin(), startComfyStandin(), startMediaServer()]);
  dir = await mkdtemp(join(tmpdir(), 'retake-comfy-control-'));
  const path = await writeModelsFile(dir, [a.url], [{ id: 'wan-two-gpus', servers: [a.url, b.url] }]);
  // Two jobs at once, so the two servers can each hold one.
  h = await startHarness({ role: 'all', config: { modelsFile: path, comfyPollMs: 50, concurrency: 3, logLevel: 'error' } });
});
afterAll(async () => {
  await h?.close();
  await Promise.all([a?.close(), b?.close(), media?.close()]);
  await rm(dir, { recursive: true, force: true });
});

const queue = async (model = MODEL_ID) => {
  const res = await h.app.inject({ method: 'POST', url: '/api/ai/queue', headers: h.auth, payload: { model, prompt: 'x', input_video: media.url('portrait.mp4') } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().generations[0].generation_id as string;
};
const row = async (id: string) => (await h.app.inject({ method: 'GET', url: `/api/ai/queue/${id}`, headers: h.auth })).json();
const settled = (id: string) => eventually(async () => {
  const r = await row(id);
  return ['succeeded', 'failed', 'cancelled'].includes(r.status) ? r : undefined;
}, 60_000, 50);
const cancel = (id: string) => h.app.inject({ method: 'DELETE', url: `/api/ai/queue/${id}`, headers: h.auth });
const promptOf = (s: ComfyStandin, id: string) => s.submissions.find((x) => x.client_id === `retake-${id}`)?.prompt_id;

describe('ComfyUI jobs under control', () => {
  it('a cancel while pending deletes the prompt from the queue', async () => {
    a.script.holdQueue = true;
    try {
      const id = await queue();
      await until(() => a.pendingIds().includes(promptOf(a, id) ?? '-'), 30_000);
      expect((await cancel(id)).statusCode).toBe(200);
      await until(() => a.deletes.includes(promptOf(a, id)!), 10_000);
      expect(a.pendingIds()).not.toContain(promptOf(a, id));
      expect(a.interrupts).toEqual([]);
      expect((await settled(id)).status).toBe('cancelled');
    } finally {
      a.script.holdQueue = false;
    }
  });

  it('a cancel while running interrupts that prompt', async () => {
    a.script.holdRunning = true;
    try {
      const id = await queue();
      await until(() => a.runningId() !== undefined && a.runningId() === promptOf(a, id), 30_000);
      expect((await cancel(id)).statusCode).toBe(200);
      await until(() => a.interrupts.includes(promptOf(a, id)!), 10_000);
      await until(() => a.runningId() === undefined, 10_000);
      expect((await settled(id)).status).toBe('cancelled');
      expect(a.completed).not.toContain(promptOf(a, id));
    } finally {
      a.script.holdRunning = false;
    }
  });

  it('a ComfyUI restart mid-job ends in one resubmission and a warning', async () => {
    a.script.holdRunning = true;
    const id = await queue();
    await until(() => a.runningId() !== undefined && a.runningId() === promptOf(a, id), 30_000);
    const first = a.submissions.filter((s) => s.client_id === `retake-${id}`)[0]!;
    await a.restart();
    a.script.holdRunning = false;
    const done = await settled(id);
    expect(done.status).toBe('succeeded');
    const mine = a.submissions.filter((s) => s.client_id === `retake-${id}`);
    expect(mine).toHaveLength(2);
    expect(mine[1]!.graph['3']!.inputs.seed).toBe(first.graph['3']!.inputs.seed);
    expect(done.warnings.filter((w: string) => /lost this prompt .* queued once more/.test(w))).toHaveLength(1);
    expect(done.interpretation.provider_request_id).toBe(mine[1]!.prompt_id);
  });

  it('two servers share the jobs, and new jobs avoid one that went down', async () => {
    a.script.holdRunning = true;
    b.script.holdRunning = true;
    const x = await queue('wan-two-gpus');
    const y = await queue('wan-two-gpus');
    // One prompt in flight per server: each holds one.
    await until(() => a.runningId() !== undefined && b.runningId() !== undefined, 30_000);
    expect(new Set([promptOf(a, x) ?? promptOf(b, x), promptOf(a, y) ?? promptOf(b, y)]).size).toBe(2);
    expect(Boolean(promptOf(a, x)) !== Boolean(promptOf(a, y))).toBe(true);
    a.script.holdRunning = false;
    b.script.holdRunning = false;
    expect((await settled(x)).status).toBe('succeeded');
    expect((await settled(y)).status).toBe('succeeded');

    await b.down();
    try {
      const z = await queue('wan-two-gpus');
      expect((await settled(z)).status).toBe('succeeded');
      expect(promptOf(a, z)).toBeDefined();
      expect(promptOf(b, z)).toBeUndefined();
    } finally {
      await b.up();
    }
  });
});

describe('start-up check', () => {
  it('refuses a workflow with a node type the ComfyUI server lacks, naming the node', async () => {
    const workflow = await exampleWorkflow();
    workflow['300'] = { class_type: 'WanVideoSampler', inputs: {} };
    const path = await writeModelsFile(dir, [a.url], [{ id: 'wan-custom', workflow }]);
    await expect(startHarness({ config: { modelsFile: path, logLevel: 'silent' } }))
      .rejects.toThrow(/model "wan-custom" cannot run on http:\/\/127\.0\.0\.1:\d+: node "300" is a WanVideoSampler/);
  });

  it('starts when a server does not answer, and lists the model', async () => {
    const path = await writeModelsFile(dir, ['http://127.0.0.1:9']);
    const late = await startHarness({ config: { modelsFile: path, logLevel: 'silent' } });
    try {
      const model = await late.app.inject({ method: 'GET', url: `/api/ai/models/${MODEL_ID}` });
      expect(model.statusCode).toBe(200);
    } finally {
      await late.close();
    }
  });
});
