/**
 * A prompt that vanishes from ComfyUI (in neither its queue nor its history), driven on
 * the `comfyui` engine with a stand-in: lost once it is queued once more (with a
 * warning); lost again after that, the generation fails saying so and nothing is queued
 * a third time; and a checkpoint written just before a POST that never happened (retake
 * stopped between the two) is no loss: the prompt is sent, without a warning.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createComfyEngine, createServerPool, RESUBMITTED_WARNING } from '../src/engines/comfyui/index.ts';
import { loadModelsFile } from '../src/models/models-file.ts';
import type { OperatorModel } from '../src/models/operator-model.ts';
import { writeModelsFile } from './support/comfyui/models-file.ts';
import { startComfyStandin, type ComfyStandin } from './support/comfyui/standin.ts';
import { PUBLIC_URL, testJob } from './support/engine-job.ts';
import { until } from './support/until.ts';

let comfy: ComfyStandin;
let dir: string;
let model: OperatorModel;
const pool = createServerPool();

beforeAll(async () => {
  comfy = await startComfyStandin();
  dir = await mkdtemp(join(tmpdir(), 'retake-comfy-lost-'));
  model = (await loadModelsFile(await writeModelsFile(dir, [comfy.url]), {})).models[0]!;
});
afterEach(() => {
  comfy.script.holdRunning = false;
});
afterAll(async () => {
  await comfy?.close();
  await rm(dir, { recursive: true, force: true });
});

const input = { input_video: `${PUBLIC_URL}/files/uploads/portrait.mp4` };
const engine = () => createComfyEngine(model, pool, { pollMs: 50 });
/** A checkpoint as an earlier attempt left it, for a prompt the stand-in never saw. */
const checkpointed = (fields: { sent: boolean; resubmitted: boolean }) => ({
  engine: 'comfyui', server: comfy.url, prompt_id: randomUUID(), client_id: 'retake-gen_test', seed: 4242,
  graph: model.workflow, submitted_at: Date.now(), ...fields,
});
const mine = () => comfy.submissions.filter((s) => s.client_id === 'retake-gen_test');

describe('a prompt ComfyUI loses', () => {
  it('lost once, it is queued once more with a warning; lost again, the generation fails and nothing is queued a third time', async () => {
    const before = mine().length;
    comfy.script.holdRunning = true;
    const { job } = await testJob(input);
    const render = engine().render(job);
    const outcome = render.then(() => 'done', (err: Error) => err.message);
    await until(() => mine().length === before + 1 && comfy.runningId() === mine().at(-1)!.prompt_id, 30_000);
    await comfy.restart();
    await until(() => mine().length === before + 2 && comfy.runningId() === mine().at(-1)!.prompt_id, 30_000);
    await comfy.restart();
    expect(await outcome).toMatch(/lost this prompt twice/);
    expect(mine()).toHaveLength(before + 2);
    // The second submission kept the first one's seed.
    expect(mine().at(-1)!.graph['3']!.inputs.seed).toBe(mine().at(-2)!.graph['3']!.inputs.seed);
  });

  it('a checkpoint that was never sent is sent now, as the first submission: no warning, the checkpoint\'s seed', async () => {
    const before = mine().length;
    const { job, checkpoint } = await testJob(input, checkpointed({ sent: false, resubmitted: false }));
    const result = await engine().render(job);
    expect(mine()).toHaveLength(before + 1);
    expect(mine().at(-1)!.graph['3']!.inputs.seed).toBe(4242);
    expect(result.warnings).not.toContain(RESUBMITTED_WARNING);
    expect(checkpoint.value).toMatchObject({ sent: true, resubmitted: false, prompt_id: mine().at(-1)!.prompt_id });
  });

  it('a resubmission stopped before its POST is sent now, and the generation still carries the warning', async () => {
    const before = mine().length;
    const { job } = await testJob(input, checkpointed({ sent: false, resubmitted: true }));
    const result = await engine().render(job);
    expect(mine()).toHaveLength(before + 1);
    expect(result.warnings).toContain(RESUBMITTED_WARNING);
  });

  it('a resubmitted prompt that is gone fails without queuing again', async () => {
    const before = mine().length;
    const { job } = await testJob(input, checkpointed({ sent: true, resubmitted: true }));
    await expect(engine().render(job)).rejects.toThrow(/lost this prompt twice/);
    expect(mine()).toHaveLength(before);
  });
});
