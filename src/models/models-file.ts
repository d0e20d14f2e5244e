/**
 * Reads the models file (`RETAKE_MODELS_FILE`, YAML or JSON) at start: checks its shape,
 * reads each workflow (a path relative to the models file), checks that every binding
 * names a node and an input the workflow has, expands `${VAR}` in header values from the
 * environment, and answers the models with their catalogue entries. Any problem stops
 * the start with a sentence naming the model and what is wrong.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { workflowOmits, type ModelInfo } from './catalogue.ts';
import { boundPlaces, MODELS_FILE_SCHEMA, type ApiWorkflow, type ComfyBindings, type NodeInput, type OperatorModel } from './operator-model.ts';

export interface LoadedModels {
  models: OperatorModel[];
  /** Their catalogue entries, in file order. */
  infos: ModelInfo[];
}

const validateFile = new Ajv({ allErrors: true, strict: false }).compile(MODELS_FILE_SCHEMA);

/** Load and check the models file at `path`; `env` expands `${VAR}` in header values. */
export async function loadModelsFile(path: string, env: Record<string, string | undefined> = process.env): Promise<LoadedModels> {
  const text = await readFile(path, 'utf8').catch((err: unknown) => {
    throw new Error(`RETAKE_MODELS_FILE: cannot read ${path}: ${(err as Error).message}`, { cause: err });
  });
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new Error(`RETAKE_MODELS_FILE: ${path} is not valid YAML or JSON: ${(err as Error).message}`, { cause: err });
  }
  if (!validateFile(raw)) {
    const problems = (validateFile.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
    throw new Error(`RETAKE_MODELS_FILE: ${path}: ${problems.join('; ')}`);
  }
  const file = raw;
  const seen = new Set<string>();
  const models: OperatorModel[] = [];
  for (const entry of file.models) {
    if (seen.has(entry.id)) throw new Error(`RETAKE_MODELS_FILE: model id "${entry.id}" is declared twice`);
    seen.add(entry.id);
    models.push(await resolveModel(entry, dirname(resolve(path)), env));
  }
  return { models, infos: models.map(catalogueEntry) };
}

interface RawModel {
  id: string;
  display_name?: string;
  description?: string;
  price_per_second?: number | 'free';
  servers: string[];
  headers?: Record<string, string>;
  max_in_flight?: number;
  retry_down_s?: number;
  workflow: string;
  bindings: ComfyBindings;
}

async function resolveModel(entry: RawModel, baseDir: string, env: Record<string, string | undefined>): Promise<OperatorModel> {
  const where = `model "${entry.id}"`;
  const workflow = await readWorkflow(resolve(baseDir, entry.workflow), where);
  const bindings = normaliseBindings(entry.bindings);
  checkBindings(bindings, workflow, where);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(entry.headers ?? {})) {
    headers[name] = value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, variable: string) => {
      const found = env[variable];
      if (found === undefined) throw new Error(`RETAKE_MODELS_FILE: ${where}: header ${name} names \${${variable}}, which is not set`);
      return found;
    });
  }
  const price = entry.price_per_second ?? 'free';
  return {
    id: entry.id,
    display_name: entry.display_name ?? entry.id,
    description: entry.description ?? `A ComfyUI workflow (${entry.workflow}) served by retake.`,
    pricing: price === 'free' || price === 0 ? 'free' : { per_second: price },
    servers: entry.servers.map((s) => s.replace(/\/+$/, '')),
    headers,
    max_in_flight: entry.max_in_flight ?? 1,
    retry_down_s: entry.retry_down_s ?? 15,
    workflow_file: entry.workflow,
    workflow,
    bindings,
  };
}

async function readWorkflow(path: string, where: string): Promise<ApiWorkflow> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new Error(`RETAKE_MODELS_FILE: ${where}: cannot read the workflow ${path}: ${(err as Error).message}`, { cause: err });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`RETAKE_MODELS_FILE: ${where}: the workflow is not a JSON object`);
  }
  if (Array.isArray((parsed as { nodes?: unknown }).nodes)) {
    throw new Error(`RETAKE_MODELS_FILE: ${where}: the workflow is in ComfyUI's UI format; export it in API format (Workflow → Export (API)) and name that file`);
  }
  for (const [id, node] of Object.entries(parsed)) {
    const n = node as { class_type?: unknown; inputs?: unknown };
    if (typeof n !== 'object' || n === null || typeof n.class_type !== 'string' || typeof n.inputs !== 'object' || n.inputs === null) {
      throw new Error(`RETAKE_MODELS_FILE: ${where}: workflow node "${id}" has no class_type and inputs; is the file in API format?`);
    }
  }
  return parsed as ApiWorkflow;
}

/** Node ids may be written as numbers in YAML; the workflow's keys are strings. */
function normaliseBindings(bindings: ComfyBindings): ComfyBindings {
  const withStringNode = (value: unknown): unknown =>
    typeof value === 'object' && value !== null && 'node' in value ? { ...value, node: String((value as NodeInput).node) } : value;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(bindings)) out[name] = withStringNode(value);
  const keyframes = out.keyframes as ComfyBindings['keyframes'];
  if (keyframes?.mask) out.keyframes = { ...keyframes, mask: withStringNode(keyframes.mask) };
  return out as unknown as ComfyBindings;
}

/** Every bound node exists, and every bound input is one the node already has (a widget value or a link). */
function checkBindings(bindings: ComfyBindings, workflow: ApiWorkflow, where: string): void {
  for (const { name, node, input } of boundPlaces(bindings)) {
    const target = workflow[node];
    if (!target) throw new Error(`RETAKE_MODELS_FILE: ${where}: binding "${name}" names node "${node}", which the workflow does not have`);
    if (input !== undefined && !(input in target.inputs)) {
      throw new Error(`RETAKE_MODELS_FILE: ${where}: binding "${name}" names input "${input}" of node "${node}" (${target.class_type}), which has ${Object.keys(target.inputs).join(', ')}`);
    }
  }
  if ((bindings.width === undefined) !== (bindings.height === undefined)) {
    throw new Error(`RETAKE_MODELS_FILE: ${where}: bind both width and height, or neither`);
  }
}

/** The catalogue entry of a model: what its bindings offer decides its request schema. */
function catalogueEntry(model: OperatorModel): ModelInfo {
  return {
    id: model.id,
    display_name: model.display_name,
    description: model.description,
    summary: `${model.display_name}: a ComfyUI workflow on the operator's GPU servers.`,
    owned_by: 'operator',
    engine: 'comfyui',
    pricing: model.pricing,
    created: 1764000000,
    omit: workflowOmits({ image: Boolean(model.bindings.image), keyframes: Boolean(model.bindings.keyframes), strength: Boolean(model.bindings.strength) }),
  };
}
