/**
 * The stand-in's `/prompt` validation, following ComfyUI's `validate_prompt`: every node
 * has a class_type the server knows (else `invalid_prompt`, naming the node), the graph
 * has an output node (`prompt_no_outputs`), and each node's required inputs are present,
 * its links point at existing nodes and outputs of the input's type, its choices are among the options and a loader's
 * file exists in the input folder (else `node_errors`, one entry per failing node).
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { OBJECT_INFO } from './object-info.ts';

export type Graph = Record<string, { class_type: string; inputs: Record<string, unknown> }>;

type Info = typeof OBJECT_INFO;
const error = (type: string, message: string, details: string) => ({ error: { type, message, details, extra_info: {} }, node_errors: {} });

export async function validateGraph(graph: Graph, info: Info, inputDir: string): Promise<Record<string, unknown> | undefined> {
  for (const [id, node] of Object.entries(graph)) {
    if (typeof node?.class_type !== 'string') return error('invalid_prompt', 'Cannot execute because a node is missing the class_type property.', `Node ID '#${id}'`);
    if (!info[node.class_type]) return error('invalid_prompt', `Cannot execute because node ${node.class_type} does not exist.`, `Node ID '#${id}'`);
  }
  if (!Object.values(graph).some((n) => info[n.class_type]!.output_node)) return error('prompt_no_outputs', 'Prompt has no outputs', '');
  const nodeErrors: Record<string, unknown> = {};
  for (const [id, node] of Object.entries(graph)) {
    const errors: { type: string; message: string; details: string }[] = [];
    const declared = info[node.class_type]!.input as { required: Record<string, unknown[]>; optional?: Record<string, unknown[]> };
    for (const [name, spec] of [...Object.entries(declared.required), ...Object.entries(declared.optional ?? {})]) {
      const value = node.inputs[name];
      const required = name in declared.required;
      if (value === undefined) {
        if (required) errors.push({ type: 'required_input_missing', message: 'Required input is missing', details: name });
        continue;
      }
      const [type, options] = spec as [unknown, Record<string, unknown> | undefined];
      if (Array.isArray(value)) {
        if (value.length !== 2 || typeof value[0] !== 'string' || !graph[value[0]]) {
          errors.push({ type: 'bad_linked_input', message: 'Bad linked input, must be a length-2 list of [string, int]', details: `${name}: ${JSON.stringify(value)}` });
          continue;
        }
        // The linked output's type must be the input's (a MASK input takes a MASK, not an IMAGE).
        const received = info[graph[value[0]]!.class_type]!.output[Number(value[1])];
        if (received !== type) errors.push({ type: 'return_type_mismatch', message: 'Return type mismatch between linked nodes', details: `${name}, received_type(${String(received)}) mismatch input_type(${String(type)})` });
        continue;
      }
      const text = JSON.stringify(value);
      if (Array.isArray(type)) {
        const upload = options?.image_upload || options?.video_upload;
        const ok = upload ? await stat(join(inputDir, String(value as string))).then((s) => s.isFile(), () => false) : type.includes(value);
        if (!ok) errors.push({ type: 'value_not_in_list', message: 'Value not in list', details: `${name}: ${text} not in list` });
      } else if (type === 'INT' || type === 'FLOAT') {
        const n = Number(value);
        if (!Number.isFinite(n) || (type === 'INT' && !Number.isInteger(n))) errors.push({ type: 'invalid_input_type', message: `Failed to convert an input value to a ${type} value`, details: `${name}, ${text}` });
        else if (options && typeof options.min === 'number' && n < options.min) errors.push({ type: 'value_smaller_than_min', message: `Value ${n} smaller than min of ${options.min}`, details: name });
        else if (options && typeof options.max === 'number' && n > options.max) errors.push({ type: 'value_bigger_than_max', message: `Value ${n} bigger than max of ${options.max}`, details: name });
      }
    }
    if (errors.length > 0) nodeErrors[id] = { errors, dependent_outputs: [], class_type: node.class_type };
  }
  if (Object.keys(nodeErrors).length === 0) return undefined;
  return { error: { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation', details: '', extra_info: {} }, node_errors: nodeErrors };
}
