/**
 * The engine seam (types.ts) belongs to no engine: it imports nothing from an engine's
 * folder and names no engine, and an engine with a record of its own shape is an
 * `Engine` as it is, without a line added to the seam (checked by the type checker).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Engine, EngineInterpretation, EngineResult } from './types.ts';

const SEAM = readFileSync(new URL('./types.ts', import.meta.url), 'utf8');

/** A record no engine of retake writes today, as a new engine would bring it. */
interface WorkflowInterpretation {
  engine: 'comfyui';
  workflow: string;
  nodes: { id: number; type: string }[];
}

describe('the engine seam', () => {
  it("imports nothing from an engine's folder and names no engine", () => {
    const imports = [...SEAM.matchAll(/from '(\.[^']+)'/g)].map((m) => m[1]);
    expect(imports.filter((path) => /^\.\/(local|fal|luma|hosted|provider-io)\//.test(path!))).toEqual([]);
    expect(SEAM).not.toMatch(/'(retake-local|fal|luma)'/);
  });

  it('takes an engine with a record of its own shape', async () => {
    const record: WorkflowInterpretation = { engine: 'comfyui', workflow: 'restyle', nodes: [{ id: 1, type: 'KSampler' }] };
    const engine: Engine = {
      id: 'comfyui',
      render: () => Promise.resolve({ outputs: [], warnings: [], interpretation: record }),
      interpret: () => Promise.resolve(record),
    };
    expectTypeOf<WorkflowInterpretation>().toMatchTypeOf<EngineInterpretation>();
    expectTypeOf<Awaited<ReturnType<Engine['render']>>>().toEqualTypeOf<EngineResult>();
    const result = await engine.render({} as Parameters<Engine['render']>[0]);
    // The record reaches the runner unchanged, fields and all.
    expect(result.interpretation).toEqual(record);
  });
});
