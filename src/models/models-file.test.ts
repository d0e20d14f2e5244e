import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelsFile } from './models-file.ts';
import { parseVideoRequest, requestSchema } from './index.ts';

const EXAMPLE = new URL('../../examples/comfyui/wan-vace.models.yaml', import.meta.url);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'retake-models-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A models file in the temp dir: the example with `change` applied, beside `workflow`. */
async function variant(change: (model: Record<string, unknown>) => void, workflow?: unknown): Promise<string> {
  const { parse, stringify } = await import('yaml');
  const file = parse(await readFile(EXAMPLE, 'utf8')) as { models: Record<string, unknown>[] };
  const model = file.models[0]!;
  model.workflow = join(new URL('../../examples/comfyui/', import.meta.url).pathname, 'wan-vace-v2v.api.json');
  if (workflow !== undefined) {
    await writeFile(join(dir, 'wf.json'), JSON.stringify(workflow));
    model.workflow = 'wf.json';
  }
  change(model);
  const path = join(dir, 'models.yaml');
  await writeFile(path, stringify(file));
  return path;
}

describe('the models file', () => {
  it('loads the shipped example, deriving the request schema from its bindings', async () => {
    const { models, infos } = await loadModelsFile(EXAMPLE.pathname, {});
    expect(models[0]).toMatchObject({ id: 'wan-vace-14b', servers: ['http://127.0.0.1:8188'], max_in_flight: 1, pricing: 'free' });
    expect(models[0]!.bindings.prompt).toEqual({ node: '6', input: 'text' });
    // The example takes keyframes (a mask loader into VACE's control_masks).
    expect(models[0]!.bindings.keyframes).toEqual({ node: '145', input: 'file', mask: { node: '151', input: 'file' } });
    expect(infos[0]!.omit).toEqual(['controls', 'auto_controls', 'hdr', 'exr_export']);
    const schema = requestSchema(infos[0]!.omit) as { properties: Record<string, unknown>; allOf?: unknown };
    expect(Object.keys(schema.properties)).toEqual(['prompt', 'input_video', 'input_image', 'keyframes', 'resolution', 'duration', 'edit_strength']);
    expect(schema.allOf).toBeDefined();
    expect(() => parseVideoRequest({ prompt: 'x', input_video: 'https://a.example/v.mp4', hdr: true }, infos[0]!.omit)).toThrow(/unknown field hdr/);
  });

  it('offers keyframes (and input_image, their frame 0) only with a keyframes binding, nested node ids read as strings', async () => {
    const withKeyframes = await variant((m) => {
      const bindings = m.bindings as Record<string, unknown>;
      delete bindings.image;
      bindings.keyframes = { node: 145, input: 'file', mask: { node: 145, input: 'file' } };
    });
    const { models, infos } = await loadModelsFile(withKeyframes, {});
    expect(models[0]!.bindings.keyframes).toEqual({ node: '145', input: 'file', mask: { node: '145', input: 'file' } });
    expect(infos[0]!.omit).toEqual(['controls', 'auto_controls', 'hdr', 'exr_export']);
    const request = parseVideoRequest({ prompt: 'x', input_video: 'https://a.example/v.mp4', keyframes: [{ image: 'https://a.example/k.png', frame: 12 }] }, infos[0]!.omit);
    expect(request.keyframes).toEqual([{ image: 'https://a.example/k.png', frame: 12 }]);

    await expect(loadModelsFile(await variant((m) => {
      (m.bindings as Record<string, unknown>).keyframes = { node: '145', input: 'file', mask: { node: '998', input: 'file' } };
    }), {})).rejects.toThrow(/binding "keyframes.mask" names node "998"/);
    await expect(loadModelsFile(await variant((m) => {
      (m.bindings as Record<string, unknown>).keyframes = { node: '145', input: 'file', frames: [3] };
    }), {})).rejects.toThrow(/keyframes/);
  });

  it('is shown whole in docs/comfyui.md', async () => {
    const doc = await readFile(new URL('../../docs/comfyui.md', import.meta.url), 'utf8');
    expect(doc).toContain(await readFile(EXAMPLE, 'utf8'));
  });

  it('says what is wrong, naming the model', async () => {
    await expect(loadModelsFile(await variant((m) => { (m.bindings as Record<string, unknown>).prompt = { node: '999', input: 'text' }; }), {}))
      .rejects.toThrow(/model "wan-vace-14b": binding "prompt" names node "999"/);
    await expect(loadModelsFile(await variant((m) => { (m.bindings as Record<string, unknown>).seed = { node: '3', input: 'noise_seed' }; }), {}))
      .rejects.toThrow(/input "noise_seed" of node "3" \(KSampler\)/);
    await expect(loadModelsFile(await variant(() => undefined, { nodes: [], links: [] }), {}))
      .rejects.toThrow(/UI format; export it in API format/);
    await expect(loadModelsFile(await variant((m) => { m.servers = ['http://gpu:8188/some/path']; }), {}))
      .rejects.toThrow(/servers/);
    await expect(loadModelsFile(await variant((m) => { m.headers = { Authorization: 'Bearer ${COMFY_TOKEN}' }; }), {}))
      .rejects.toThrow(/COMFY_TOKEN\}, which is not set/);
  });

  it('reads header secrets from the environment and prices per second', async () => {
    const path = await variant((m) => {
      m.headers = { Authorization: 'Bearer ${COMFY_TOKEN}' };
      m.price_per_second = 0.05;
    });
    const { models, infos } = await loadModelsFile(path, { COMFY_TOKEN: 's3cret' });
    expect(models[0]!.headers).toEqual({ Authorization: 'Bearer s3cret' });
    expect(infos[0]!.pricing).toEqual({ per_second: 0.05 });
  });
});
