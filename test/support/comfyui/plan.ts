/**
 * The order a ComfyUI graph runs in: the nodes the output nodes depend on, each after
 * the nodes its links come from (ComfyUI runs only what an output node needs).
 */
import { OBJECT_INFO } from './object-info.ts';
import type { Graph } from './validate-graph.ts';

export function executionPlan(graph: Graph): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string): void => {
    if (seen.has(id)) return;
    seen.add(id);
    for (const value of Object.values(graph[id]?.inputs ?? {})) {
      if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string') visit(value[0]);
    }
    order.push(id);
  };
  for (const [id, node] of Object.entries(graph)) if (OBJECT_INFO[node.class_type]?.output_node) visit(id);
  return order;
}
