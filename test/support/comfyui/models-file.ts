/**
 * Models files for the tests: the shipped Wan VACE example with its server URLs pointed
 * at stand-ins, and variants (another output node, no image input, an extra node type)
 * derived from it (another output node, no image input, an extra node type, keyframes
 * with a mask), written to a temp directory.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

export const EXAMPLE_DIR = fileURLToPath(new URL('../../../examples/comfyui/', import.meta.url));
export const EXAMPLE_FILE = join(EXAMPLE_DIR, 'wan-vace.models.yaml');
export const MODEL_ID = 'wan-vace-14b';

type Model = Record<string, unknown> & { bindings: Record<string, unknown> };
type Workflow = Record<string, { class_type: string; inputs: Record<string, unknown> }>;

export async function exampleModel(): Promise<Model> {
  return (parse(await readFile(EXAMPLE_FILE, 'utf8')) as { models: Model[] }).models[0]!;
}

export async function exampleWorkflow(): Promise<Workflow> {
  return JSON.parse(await readFile(join(EXAMPLE_DIR, 'wan-vace-v2v.api.json'), 'utf8')) as Workflow;
}

/** The keyframes binding of {@link keyframedWorkflow}: the control video loader, and the mask's loader. */
export const KEYFRAMES_BINDING = { node: '145', input: 'file', mask: { node: '151', input: 'file' } };

/**
 * The example workflow taking keyframes as docs/comfyui.md shows: a mask loaded from a
 * video (LoadVideo → GetVideoComponents → ImageToMask) into VACE's `control_masks`, or
 * whatever `mask` links there.
 */
export async function keyframedWorkflow(mask: unknown[] = ['153', 0]): Promise<Workflow> {
  const workflow = await exampleWorkflow();
  workflow['151'] = { class_type: 'LoadVideo', inputs: { file: 'keyframe-mask.mp4' } };
  workflow['152'] = { class_type: 'GetVideoComponents', inputs: { video: ['151', 0] } };
  workflow['153'] = { class_type: 'ImageToMask', inputs: { image: ['152', 0], channel: 'red' } };
  workflow['49']!.inputs.control_masks = mask;
  return workflow;
}

/**
 * Write a models file into `dir` holding the example model on `servers`, plus `extra`
 * models; a model's `workflow` may be an object (written beside it as `<id>.json`).
 */
export async function writeModelsFile(dir: string, servers: string[], extra: (Partial<Model> & { workflow?: unknown })[] = [], patch: Partial<Model> = {}): Promise<string> {
  const base = { ...(await exampleModel()), servers, workflow: join(EXAMPLE_DIR, 'wan-vace-v2v.api.json'), retry_down_s: 0.2, ...patch };
  const models: Model[] = [base];
  for (const m of extra) {
    const model = { ...base, ...m, servers: m.servers ?? servers } as Model;
    if (typeof m.workflow === 'object') {
      await writeFile(join(dir, `${String(m.id)}.json`), JSON.stringify(m.workflow));
      model.workflow = `${String(m.id)}.json`;
    }
    models.push(model);
  }
  const path = join(dir, 'models.yaml');
  await writeFile(path, stringify({ models }));
  return path;
}
