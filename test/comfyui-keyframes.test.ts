/**
 * Keyframes on a ComfyUI workflow model, over real HTTP against the stand-in: the shipped
 * Wan VACE example, with its `keyframes` binding (the control video loader, and a mask
 * read from a second video through `ImageToMask` into `control_masks`), offers
 * `keyframes`; the example stripped of them refuses them; each keyframe image reaches the output at its
 * own frame index and no other (the stand-in keeps the control frames the mask leaves
 * black, in colour, as VACE does, and renders the rest grey); `input_image` is the
 * keyframe at frame 0; a mask linked with the wrong type is refused as ComfyUI refuses
 * it, and a mask bound to an input that takes no uploaded video is refused at start.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../src/api/testing.ts';
import { exampleModel, KEYFRAMES_BINDING, keyframedWorkflow, MODEL_ID, plainExample, writeModelsFile } from './support/comfyui/models-file.ts';
import { startComfyStandin, type ComfyStandin } from './support/comfyui/standin.ts';
import { scaled } from './support/deadline.ts';
import { startMediaServer, type MediaServer } from './support/media-server.ts';

const run = promisify(execFile);
let comfy: ComfyStandin;
let media: MediaServer;
let dir: string;
let h: Harness;
let red: string;
let blue: string;

/** Upload a solid-colour image to retake and answer its URL. */
async function colourImage(colour: string): Promise<string> {
  const path = join(dir, `${colour}.png`);
  await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `color=c=${colour}:s=480x270`, '-frames:v', '1', path]);
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(await readFile(path))], { type: 'image/png' }), `${colour}.png`);
  const res = await fetch(`${h.baseUrl}/api/files`, { method: 'POST', headers: h.auth, body: form });
  expect(res.status).toBe(201);
  return ((await res.json()) as { url: string }).url;
}

beforeAll(async () => {
  [comfy, media] = await Promise.all([startComfyStandin(), startMediaServer()]);
  dir = await mkdtemp(join(tmpdir(), 'retake-comfy-keyframes-'));
  const bindings = (await exampleModel()).bindings;
  expect(bindings.keyframes).toEqual(KEYFRAMES_BINDING);
  const path = await writeModelsFile(dir, [comfy.url], [
    { id: 'wan-plain', ...(await plainExample()) },
    // The mask linked straight from the video's images: an IMAGE where VACE takes a MASK.
    { id: 'wan-mask-as-image', workflow: await keyframedWorkflow(['152', 0]), bindings: { ...bindings, keyframes: KEYFRAMES_BINDING } },
  ]);
  h = await startHarness({ role: 'all', listen: true, config: { modelsFile: path, comfyPollMs: 50, logLevel: 'error' } });
  [red, blue] = await Promise.all([colourImage('red'), colourImage('blue')]);
}, scaled(60_000));
afterAll(async () => {
  await h?.close();
  await Promise.all([comfy?.close(), media?.close()]);
  await rm(dir, { recursive: true, force: true });
});

const post = (url: string, payload: unknown) => h.app.inject({ method: 'POST', url, headers: h.auth, payload: payload as Record<string, unknown> });
const row = async (id: string) => (await h.app.inject({ method: 'GET', url: `/api/ai/queue/${id}`, headers: h.auth })).json();

/** Each frame's mean red, green and blue (0..255) in the video at `url`. */
async function frameColours(url: string, name: string): Promise<{ r: number; g: number; b: number }[]> {
  const file = join(dir, name);
  const res = await fetch(url);
  expect(res.status).toBe(200);
  await writeFile(file, Buffer.from(await res.arrayBuffer()));
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-i', file, '-vf', 'scale=16:9', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { encoding: 'buffer', maxBuffer: 1 << 26 });
  const frameBytes = 16 * 9 * 3;
  return Array.from({ length: stdout.length / frameBytes }, (_, f) => {
    const sum = [0, 0, 0];
    for (let i = 0; i < frameBytes; i++) sum[i % 3]! += stdout[f * frameBytes + i]!;
    const [r, g, b] = sum.map((s) => s / (16 * 9)) as [number, number, number];
    return { r, g, b };
  });
}

const isGrey = (c: { r: number; g: number; b: number }) => Math.abs(c.r - c.g) < 8 && Math.abs(c.b - c.g) < 8;

describe('keyframes on a ComfyUI workflow model', () => {
  it('are offered by a model with a keyframes binding, and refused by one without', async () => {
    const list = (await h.app.inject({ method: 'GET', url: '/api/ai/models' })).json();
    const schema = (id: string) => list.data.find((m: { id: string }) => m.id === id).json_request_schema;
    expect(Object.keys(schema(MODEL_ID).properties)).toEqual(expect.arrayContaining(['keyframes', 'input_image']));
    expect(schema(MODEL_ID).allOf).toBeDefined();
    expect(schema('wan-plain').properties).not.toHaveProperty('keyframes');

    const refused = await post('/api/ai/estimate', { model: 'wan-plain', prompt: 'x', input_video: media.url('flower.mp4'), keyframes: [{ image: red, frame: 10 }] });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.detail).toMatch(/unknown field keyframes/);
    const both = await post('/api/ai/estimate', { model: MODEL_ID, prompt: 'x', input_video: media.url('flower.mp4'), input_image: red, keyframes: [{ image: red, frame: 10 }] });
    expect(both.statusCode).toBe(422);
  });

  it('lays each keyframe image into the control video at its frame index, marked in the mask', async () => {
    const res = await post('/api/ai/videos/generate', {
      model: MODEL_ID, prompt: 'a glass flower', input_video: media.url('flower.mp4'), resolution: '540p',
      keyframes: [{ image: blue, frame: 40 }, { image: red, frame: 10 }, { image: red, frame: 149 }],
    });
    expect(res.statusCode, res.body).toBe(200);
    const { generation_id: id, videos } = res.json();
    const { graph } = comfy.submissions.at(-1)!;
    expect(graph['145']!.inputs.file).toBe(`retake/${id}-keyframes.mp4`);
    expect(graph['151']!.inputs.file).toBe(`retake/${id}-keyframe-mask.mp4`);
    // No keyframe at frame 0: the reference image is the source's own first frame.
    expect(graph['134']!.inputs.image).toBe(`retake/${id}-image.png`);
    // flower.mp4 is 150 frames at 29.97 fps: 5 s is 149 frames (4k+1), so frame 149 is past the end.
    expect(graph['49']!.inputs.length).toBe(149);
    expect((await row(id)).warnings).toEqual([expect.stringMatching(/keyframe at frame 149 is past the output's last frame \(148\)/)]);

    const frames = await frameColours(videos[0].url, 'keyframes.mp4');
    expect(frames).toHaveLength(149);
    const [at10, at40] = [frames[10]!, frames[40]!];
    expect(at10.r).toBeGreaterThan(180);
    expect(Math.max(at10.g, at10.b)).toBeLessThan(80);
    expect(at40.b).toBeGreaterThan(180);
    expect(Math.max(at40.r, at40.g)).toBeLessThan(80);
    const coloured = frames.flatMap((c, i) => (isGrey(c) ? [] : [i]));
    expect(coloured).toEqual([10, 40]);
  }, scaled(60_000));

  it('takes input_image as the keyframe at frame 0, exactly as a keyframe list holding it', async () => {
    const graphs = [];
    for (const guide of [{ input_image: red }, { keyframes: [{ image: red, frame: 0 }] }]) {
      const res = await post('/api/ai/videos/generate', { model: MODEL_ID, prompt: 'x', input_video: media.url('portrait.mp4'), ...guide });
      expect(res.statusCode, res.body).toBe(200);
      const { generation_id: id, videos } = res.json();
      const { graph } = comfy.submissions.at(-1)!;
      expect(graph['134']!.inputs.image).toBe(`retake/${id}-image.png`);
      expect(graph['145']!.inputs.file).toBe(`retake/${id}-keyframes.mp4`);
      const frames = await frameColours(videos[0].url, `${id}.mp4`);
      expect(frames.flatMap((c, i) => (isGrey(c) ? [] : [i]))).toEqual([0]);
      expect(frames[0]!.r).toBeGreaterThan(180);
      graphs.push(JSON.stringify(graph).replaceAll(id, '<id>').replace(/"seed":\d+/, ''));
    }
    expect(graphs[1]).toBe(graphs[0]);
  }, scaled(60_000));

  it('without keyframes, gives the loader the source and an all-white mask: nothing is held', async () => {
    const res = await post('/api/ai/videos/generate', { model: MODEL_ID, prompt: 'x', input_video: media.url('portrait.mp4') });
    expect(res.statusCode, res.body).toBe(200);
    const { generation_id: id, videos } = res.json();
    const { graph } = comfy.submissions.at(-1)!;
    expect(graph['145']!.inputs.file).toBe(`retake/${id}-video.mp4`);
    expect(graph['151']!.inputs.file).toBe(`retake/${id}-keyframe-mask.mp4`);
    expect((await frameColours(videos[0].url, 'plain.mp4')).every(isGrey)).toBe(true);
  }, scaled(60_000));

  it("fails with ComfyUI's refusal when the mask is linked with the wrong type", async () => {
    const res = await post('/api/ai/videos/generate', { model: 'wan-mask-as-image', prompt: 'x', input_video: media.url('portrait.mp4'), keyframes: [{ image: red, frame: 3 }] });
    expect(res.json().error).toMatchObject({ type: 'workflow_failed' });
    expect(res.json().error.detail).toMatch(/node 49 \(WanVaceToVideo\): Return type mismatch between linked nodes/);
  });

  it('refuses at start a mask bound to an input that takes no uploaded video', async () => {
    const bindings = (await exampleModel()).bindings;
    const path = await writeModelsFile(dir, [comfy.url], [
      { id: 'wan-bad-mask', bindings: { ...bindings, keyframes: { ...KEYFRAMES_BINDING, mask: { node: '153', input: 'channel' } } } },
    ]);
    await expect(startHarness({ config: { modelsFile: path, logLevel: 'silent' } }))
      .rejects.toThrow(/model "wan-bad-mask" cannot run on http:\/\/127\.0\.0\.1:\d+: binding "keyframes.mask": input "channel" of node "153" \(ImageToMask\) does not take an uploaded video/);
  });
});
