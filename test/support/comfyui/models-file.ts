/**
 * Models files for the tests: the shipped Wan VACE example (keyframes with a mask
 * included) with its server URLs pointed at stand-ins, and variants derived from it
 * (another output node, no image input, an extra node type, no keyframes, the mask
 * linked elsewhere), written to a temp directory.
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

/** The example's keyframes binding: the control video goes to the source's loader, the mask to its own loader. */
export const KEYFRAMES_BINDING = { node: '145', input: 'file', mask: { node: '151', input: 'file' } };
const KEYFRAME_NODES = ['151', '152', '153'];

/**
 * The example workflow with its mask linked from `mask` into VACE's `control_masks`
 * (the example links `ImageToMask`, node 153).
 */
export async function keyframedWorkflow(mask: unknown[] = ['153', 0]): Promise<Workflow> {
  const workflow = await exampleWorkflow();
  workflow['49']!.inputs.control_masks = mask;
  return workflow;
}

/** The example as it was before it took keyframes: no mask nodes, no `control_masks`, no `keyframes` binding. */
export async function plainExample(): Promise<{ workflow: Workflow; bindings: Record<string, unknown> }> {
  const workflow = await exampleWorkflow();
  for (const id of KEYFRAME_NODES) delete workflow[id];
  delete workflow['49']!.inputs.control_masks;
  const { keyframes: _keyframes, ...bindings } = (await exampleModel()).bindings;
  return { workflow, bindings };
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
