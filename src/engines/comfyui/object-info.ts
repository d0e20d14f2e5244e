/**
 * A workflow checked against what a ComfyUI server can run (`/object_info`): every node's
 * class exists there (a missing custom node is the usual cause), and every bound input is
 * one that class takes. Answers the first problem as a sentence naming the node.
 */
import type { ApiWorkflow, ComfyBindings, NodeInput } from '../../models/operator-model.ts';

export type ObjectInfo = Record<string, { input?: Record<string, Record<string, unknown> | undefined> }>;

export function workflowProblem(workflow: ApiWorkflow, bindings: ComfyBindings, info: ObjectInfo): string | undefined {
  for (const [id, node] of Object.entries(workflow)) {
    if (!Object.hasOwn(info, node.class_type)) {
      return `node "${id}" is a ${node.class_type}, a node type this ComfyUI does not have (install the custom node that provides it)`;
    }
  }
  for (const [name, value] of Object.entries(bindings)) {
    if (typeof value !== 'object' || value === null || !('input' in value)) continue;
    const { node, input } = value as NodeInput;
    const classType = workflow[node]!.class_type;
    const inputs = info[classType]?.input ?? {};
    const known = Object.values(inputs).some((group) => group !== undefined && Object.hasOwn(group, input));
    if (!known) return `binding "${name}": node "${node}" (${classType}) has no input "${input}" on this ComfyUI`;
  }
  return undefined;
}
