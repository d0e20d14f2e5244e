/**
 * The shipped Wan VACE example, served from a models file against a stand-in ComfyUI,
 * through the hub's calls: the model is listed with a schema derived from its bindings;
 * the sync call lands the prompt, video, image, size, frame count, strength and seed in
 * the right node inputs and answers a real video; the async call's progress arrives over
 * SSE in order; VideoHelperSuite's `gifs` output shape works; ComfyUI's refusals and
 * `execution_error` fail the generation naming the node; a dropped socket is survived.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSse, startHarness, type Harness } from '../src/api/testing.ts';
import { probeMedia } from '../src/engines/local/probe.ts';
import { exampleWorkflow, MODEL_ID, plainExample, writeModelsFile } from './support/comfyui/models-file.ts';
import { startComfyStandin, type ComfyStandin } from './support/comfyui/standin.ts';
import { startMediaServer, type MediaServer } from './support/media-server.ts';
import { eventually } from './support/server-process.ts';

let comfy: ComfyStandin;
let media: MediaServer;
let dir: string;
let h: Harness;

beforeAll(async () => {
  [comfy, media] = await Promise.all([startComfyStandin(), startMediaServer()]);
  dir = await mkdtemp(join(tmpdir(), 'retake-comfy-hub-'));
  const workflow = await exampleWorkflow();
  // VideoHelperSuite's combine node instead of core SaveVideo: its output is under `gifs`.
  const { 114: _save, ...rest } = workflow;
  const gifs = { ...rest, 200: { class_type: 'VHS_VideoCombine', inputs: { images: ['8', 0], frame_rate: 16, loop_count: 0, filename_prefix: 'retake', format: 'video/h264-mp4', pingpong: false, save_output: true } } };
  // No reference image input at all, nor keyframes: the source video is the one upload.
  const plain = await plainExample();
  const { 134: _image, ...noImage } = plain.workflow;
  delete noImage['49']!.inputs.reference_image;
  const badLora = structuredClone(workflow);
  badLora['107']!.inputs.lora_name = 'not-installed.safetensors';
  const base = (await import('./support/comfyui/models-file.ts')).exampleModel;
  const bindings = (await base()).bindings;
  const path = await writeModelsFile(dir, [comfy.url], [
    { id: 'wan-gifs', workflow: gifs, bindings: { ...bindings, fps: { node: '200', input: 'frame_rate' }, output: { node: '200' } } },
    { id: 'wan-no-image', workflow: noImage, bindings: Object.fromEntries(Object.entries(plain.bindings).filter(([k]) => k !== 'image' && k !== 'strength')) },
    { id: 'wan-bad-lora', workflow: badLora },
  ], { price_per_second: 0.1 });
  h = await startHarness({ role: 'all', listen: true, config: { modelsFile: path, comfyPollMs: 50, logLevel: 'error' } });
});
afterAll(async () => {
  await h?.close();
  await Promise.all([comfy?.close(), media?.close()]);
  await rm(dir, { recursive: true, force: true });
});

const post = (url: string, payload: unknown) => h.app.inject({ method: 'POST', url, headers: h.auth, payload: payload as Record<string, unknown> });
const row = async (id: string) => (await h.app.inject({ method: 'GET', url: `/api/ai/queue/${id}`, headers: h.auth })).json();
const settled = (id: string) => eventually(async () => {
  const r = await row(id);
  return ['succeeded', 'failed', 'cancelled'].includes(r.status) ? r : undefined;
}, 60_000, 50);

describe('a ComfyUI workflow as a model', () => {
  it('is listed beside the built-in models, with a schema derived from its bindings', async () => {
    const list = (await h.app.inject({ method: 'GET', url: '/api/ai/models' })).json();
    const ids = list.data.map((m: { id: string }) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['retake-local', MODEL_ID, 'wan-no-image']));
    const wan = list.data.find((m: { id: string }) => m.id === MODEL_ID);
    expect(wan.display_name).toBe('Wan 2.1 VACE 14B (ComfyUI)');
    expect(Object.keys(wan.json_request_schema.properties).sort()).toEqual(['duration', 'edit_strength', 'input_image', 'input_video', 'keyframes', 'model', 'prompt', 'resolution']);
    expect(wan.pricing).toMatchObject({ unit: 'second', price: 0.1 });
    const bare = list.data.find((m: { id: string }) => m.id === 'wan-no-image');
    expect(bare.json_request_schema.properties).not.toHaveProperty('input_image');
    expect(bare.capabilities.input).toEqual(['text', 'video']);

    const refused = await post('/api/ai/estimate', { model: 'wan-no-image', prompt: 'x', input_video: media.url('flower.mp4'), input_image: media.url('london.jpg') });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.detail).toMatch(/unknown field input_image/);
    const hdr = await post('/api/ai/estimate', { model: MODEL_ID, prompt: 'x', input_video: media.url('flower.mp4'), hdr: true, resolution: '720p' });
    expect(hdr.statusCode).toBe(422);
    const price = await post('/api/ai/estimate', { model: MODEL_ID, prompt: 'x', input_video: media.url('flower.mp4'), duration: '10s' });
    expect(price.json()).toMatchObject({ unit_cost: 1 });
  });

  it('sync call: every bound field lands in its node input and a real video comes back', async () => {
    const before = comfy.submissions.length;
    const res = await post('/api/ai/videos/generate', {
      model: MODEL_ID, prompt: 'a glass flower opening, dreamy', input_video: media.url('flower.mp4'), input_image: media.url('london.jpg'),
      resolution: '720p', duration: '5s', edit_strength: 'adhere_1',
    });
    expect(res.statusCode, res.body).toBe(200);
    const { generation_id: id, videos } = res.json();
    expect(comfy.submissions.length).toBe(before + 1);
    const { graph, client_id } = comfy.submissions.at(-1)!;
    expect(client_id).toBe(`retake-${id}`);
    expect(graph['6']!.inputs.text).toBe('a glass flower opening, dreamy');
    // The example takes keyframes: input_image is the keyframe at frame 0, laid into the control video and held by the mask.
    expect(graph['145']!.inputs.file).toBe(`retake/${id}-keyframes.mp4`);
    expect(graph['151']!.inputs.file).toBe(`retake/${id}-keyframe-mask.mp4`);
    expect(graph['134']!.inputs.image).toBe(`retake/${id}-image.jpg`);
    expect(comfy.uploads).toEqual(expect.arrayContaining([`retake/${id}-keyframes.mp4`, `retake/${id}-keyframe-mask.mp4`, `retake/${id}-image.jpg`]));
    // flower.mp4 is 960x540 at 29.97 fps: 720p keeps 16:9 on multiples of 16; 5 s is 149 frames as 4k+1.
    expect(graph['49']!.inputs).toMatchObject({ width: 1280, height: 720, length: 149, strength: 1.6 });
    expect(graph['68']!.inputs.fps).toBeCloseTo(29.97, 2);
    const done = await row(id);
    expect(done.interpretation).toMatchObject({ engine: 'comfyui', server: comfy.url });
    expect(graph['3']!.inputs.seed).toBe(done.interpretation.seed);
    expect(graph['3']!.inputs.seed).not.toBe(654654950714624);
    expect(done.cost).toBe(0.5);
    expect(done.warnings).toEqual([]);

    const video = await fetch(videos[0].url);
    expect(video.status).toBe(200);
    const file = join(dir, 'sync.mp4');
    await writeFile(file, Buffer.from(await video.arrayBuffer()));
    const facts = await probeMedia(file);
    expect([facts.width, facts.height]).toEqual([1280, 720]);
    expect(facts.duration).toBeGreaterThan(4.5);
  });

  it('async call: progress reaches the SSE stream in order, node by node, then the result', async () => {
    const sse = await openSse(`${h.baseUrl}/api/events`, h.auth);
    try {
      const queued = await post('/api/ai/queue', { model: MODEL_ID, prompt: 'ink', input_video: media.url('rabbit.mp4'), resolution: '540p' });
      expect(queued.statusCode).toBe(200);
      const id: string = queued.json().generations[0].generation_id;
      await sse.waitFor((f) => f.event === 'media_generation_completed' && (f.data ?? '').includes(id), 60_000);
      const mine = sse.frames.filter((f) => (f.data ?? '').includes(id)).map((f) => ({ event: f.event, data: JSON.parse(f.data ?? '{}') }));
      const progress = mine.filter((f) => f.event === 'media_generation_progress').map((f) => f.data);
      const values = progress.map((p) => p.progress as number);
      expect(values).toEqual([...values].sort((a, b) => a - b));
      const stages = progress.map((p) => p.stage as string);
      const steps = stages.filter((s) => s.startsWith('KSampler (node 3) '));
      expect(steps).toEqual(['KSampler (node 3) 1/4', 'KSampler (node 3) 2/4', 'KSampler (node 3) 3/4', 'KSampler (node 3) 4/4']);
      expect(stages.indexOf('SaveVideo (node 114)')).toBeGreaterThan(stages.indexOf('KSampler (node 3) 4/4'));
      expect(mine.at(-1)).toMatchObject({ event: 'media_generation_completed', data: { status: 'succeeded' } });
      // rabbit.mp4 is 720x480 at 30 fps: 540p is 816x544 (multiples of 16), 5 s is 149 frames.
      expect(comfy.submissions.at(-1)!.graph['49']!.inputs).toMatchObject({ width: 816, height: 544, length: 149 });
    } finally {
      sse.close();
    }
  });

  it("takes VideoHelperSuite's gifs output, and uses the source's first frame when a request has no image", async () => {
    const res = await post('/api/ai/videos/generate', { model: 'wan-gifs', prompt: 'noir', input_video: media.url('portrait.mp4') });
    expect(res.statusCode, res.body).toBe(200);
    const { generation_id: id } = res.json();
    const { graph } = comfy.submissions.at(-1)!;
    expect(graph['134']!.inputs.image).toBe(`retake/${id}-image.png`);
    // portrait.mp4 is 720x1080, 1.09 s: 540p portrait, and the source's own length with a warning.
    expect(graph['49']!.inputs).toMatchObject({ width: 544, height: 816, length: 29 });
    expect((await row(id)).warnings).toEqual([expect.stringMatching(/shorter than 5s/)]);

    const bare = await post('/api/ai/videos/generate', { model: 'wan-no-image', prompt: 'noir', input_video: media.url('flower.mp4') });
    expect(bare.statusCode, bare.body).toBe(200);
    expect(comfy.uploads.filter((u) => u.startsWith(`retake/${bare.json().generation_id as string}`))).toHaveLength(1);
  });

  it("fails with ComfyUI's words, naming the node, when it refuses the graph or fails running it", async () => {
    const refused = await post('/api/ai/videos/generate', { model: 'wan-bad-lora', prompt: 'x', input_video: media.url('flower.mp4') });
    expect(refused.json().error).toMatchObject({ type: 'workflow_failed' });
    expect(refused.json().error.detail).toMatch(/node 107 \(LoraLoader\): Value not in list/);

    comfy.script.failNode = '3';
    try {
      const failed = await post('/api/ai/queue', { model: MODEL_ID, prompt: 'x', input_video: media.url('flower.mp4') });
      const done = await settled(failed.json().generations[0].generation_id);
      expect(done).toMatchObject({ status: 'failed', error_code: 'workflow_failed' });
      expect(done.error_message).toMatch(/node 3 \(KSampler\): torch.OutOfMemoryError: Allocation on device 0/);
    } finally {
      comfy.script.failNode = undefined;
    }
  });

  it('finishes through /history when the socket drops mid-job', async () => {
    comfy.script.dropSocketsOnce = true;
    const queued = await post('/api/ai/queue', { model: MODEL_ID, prompt: 'x', input_video: media.url('flower.mp4') });
    const done = await settled(queued.json().generations[0].generation_id);
    expect(comfy.script.dropSocketsOnce).toBe(false);
    expect(done.status).toBe('succeeded');
  });
});
