/**
 * retake-local with several keyframes, through the whole engine on clips with a cut
 * (made from the fixtures, cut-clips.ts): a keyframe per shot gives each shot its own
 * look, which one keyframe cannot; two keyframes of different looks in one shot hand
 * over smoothly, with no jump at a keyframe and the flicker within 1.5× the source's;
 * the generation records the shots, the keyframes that made each and every keyframe's
 * alignment score; and the mapper with four keyframes stays within 1.3× the time of one
 * and its memory does not grow with their number.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childCpuSeconds, samplePeakRss } from '../bench/lib/process-tree.ts';
import { readFrames } from '../src/engines/local/frame-reader.ts';
import { guidedChildCommand } from '../src/engines/local/guided/child-command.ts';
import type { KeyframePlan } from '../src/engines/local/guided/keyframes/plan-mapper.ts';
import type { RgbFrame } from '../src/engines/local/guided/metrics.ts';
import { serialiseModel } from '../src/engines/local/guided/model-file.ts';
import { fitGuidedModel } from '../src/engines/local/guided/model.ts';
import { mapPixels, textureFrame } from '../src/engines/local/guided/test-frames.ts';
import { createLocalEngine } from '../src/engines/local/index.ts';
import type { EngineResult } from '../src/engines/types.ts';
import type { KeyframeRef } from '../src/models/request.ts';
import { makeCutClip, type CutClip } from './support/cut-clips.ts';
import { flicker, frameChanges } from './support/flicker.ts';
import { EFFECTS, effectFrames, FINAL_CHECK_EFFECTS, measurePairs, writePng, type Effect } from './support/guided-fixtures.ts';
import { scaled } from './support/deadline.ts';

const engine = createLocalEngine();
const LOOKS: Record<string, Effect> = { sepia: EFFECTS.sepia, hue_swap: FINAL_CHECK_EFFECTS.hue_swap };
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'retake-guided-keyframes-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Render `clip` with `keyframes` through the engine. */
async function render(clip: CutClip, keyframes: KeyframeRef[]): Promise<EngineResult> {
  const workDir = await mkdtemp(join(root, 'job-'));
  return engine.render({
    generationId: 'gen_keyframes',
    request: { prompt: 'watercolor', input_video: clip.path, keyframes, resolution: '540p', duration: '5s', hdr: false, exr_export: false },
    workDir,
    signal: new AbortController().signal,
    onProgress: () => undefined,
    async fetchInput(path, name) {
      await copyFile(path, join(workDir, name));
      return join(workDir, name);
    },
  });
}

/** `look` applied to frame `frame` of `clip`, as the PNG a user would upload. */
async function restyled(clip: CutClip, look: string, frame: number): Promise<string> {
  const png = join(root, `${look}-${frame}.png`);
  await writePng((await effectFrames(clip.path, clip.fps, clip, LOOKS[look]!, [frame])).get(frame)!, png);
  return png;
}

/** Frames of a rendered file at `indexes`, at the clip's size. */
async function outputFrames(path: string, clip: CutClip, indexes: readonly number[]): Promise<RgbFrame[]> {
  const { frames } = await readFrames({ input: path, width: clip.width, height: clip.height, pixFmt: 'rgb24' });
  return indexes.map((i) => ({ width: clip.width, height: clip.height, data: new Uint8Array(frames[i]!) }));
}

/** ΔE of the output's frames at `indexes` against `look` applied to the source's. */
async function distanceToLook(result: EngineResult, clip: CutClip, look: string, indexes: readonly number[]): Promise<number> {
  const truth = await effectFrames(clip.path, clip.fps, clip, LOOKS[look]!, indexes);
  return measurePairs(await outputFrames(result.outputs[0]!.path, clip, indexes), indexes.map((i) => truth.get(i)!)).deltaE;
}

describe('a keyframe per shot on a clip with a cut', () => {
  let clip: CutClip;
  let both: EngineResult;
  let one: EngineResult;
  let sepia: string;
  const shot1 = [30, 55], shot2 = [90, 115];

  beforeAll(async () => {
    clip = await makeCutClip([{ from: 'flower.mp4', start: 0, frames: 60 }, { from: 'rabbit.mp4', start: 1, frames: 60 }], root, 'two-shots.mp4', 320, 180);
    sepia = await restyled(clip, 'sepia', 3);
    const hue = await restyled(clip, 'hue_swap', 63);
    both = await render(clip, [{ image: sepia, frame: 3 }, { image: hue, frame: 63 }]);
    one = await render(clip, [{ image: sepia, frame: 3 }]);
  }, scaled(600_000));

  it('gives each shot its own keyframe\'s look; one keyframe carries its look into the other shot', async () => {
    expect(await distanceToLook(both, clip, 'sepia', shot1)).toBeLessThan(3);
    expect(await distanceToLook(both, clip, 'hue_swap', shot2)).toBeLessThan(3);
    expect(await distanceToLook(one, clip, 'sepia', shot2)).toBeLessThan(6);
    expect(await distanceToLook(one, clip, 'hue_swap', shot2)).toBeGreaterThan(15);
  }, scaled(120_000));

  it('records the shots, the keyframes that made each and every keyframe\'s alignment score', () => {
    const guided = (both.interpretation as any).guided;
    expect((both.interpretation as any).mode).toBe('guided');
    expect(guided.shots.map((s: any) => [s.start_frame, s.end_frame, s.keyframes, s.borrowed])).toEqual([[0, 60, [3], false], [60, 120, [63], false]]);
    expect(guided.shots[1].start_s).toBe(2);
    expect(guided.keyframes.map((k: any) => [k.frame, k.decision, k.alignment.aligned])).toEqual([[3, 'guided', true], [63, 'guided', true]]);
    for (const k of guided.keyframes) expect(k.alignment.score).toBeGreaterThan(0.9);
    expect(both.warnings.filter((w) => !/shorter than/.test(w))).toEqual([]);
    // One keyframe: the other shot takes it as the keyframe most like it.
    expect((one.interpretation as any).guided.shots.map((s: any) => [s.keyframes, s.borrowed])).toEqual([[[3], false], [[3], true]]);
  });

  it('flickers no more than 1.5× the source', async () => {
    expect(await flicker(both.outputs[0]!.path)).toBeLessThan((await flicker(clip.path)) * 1.5);
  }, scaled(60_000));

  it('leaves out a keyframe that is not a restyle of its source frame, with a warning; its shot takes the other', async () => {
    const result = await render(clip, [{ image: sepia, frame: 3 }, { image: fileURLToPath(new URL('./fixtures/media/london.jpg', import.meta.url)), frame: 63 }]);
    const guided = (result.interpretation as any).guided;
    expect(guided.keyframes.map((k: any) => [k.frame, k.decision])).toEqual([[3, 'guided'], [63, 'not_aligned']]);
    expect(guided.keyframes[1].alignment.score).toBeLessThan(0.35);
    expect(guided.shots.map((s: any) => [s.keyframes, s.borrowed])).toEqual([[[3], false], [[3], true]]);
    expect(result.warnings.join(' ')).toMatch(/keyframe at frame 63 does not line up/);
    expect(await distanceToLook(result, clip, 'sepia', shot2)).toBeLessThan(6);
  }, scaled(300_000));
});

describe('two keyframes of different looks in one shot', () => {
  let clip: CutClip;
  let result: EngineResult;
  beforeAll(async () => {
    clip = await makeCutClip([{ from: 'flower.mp4', start: 0, frames: 120 }], root, 'one-shot.mp4', 320, 180);
    result = await render(clip, [{ image: await restyled(clip, 'sepia', 10), frame: 10 }, { image: await restyled(clip, 'hue_swap', 100), frame: 100 }]);
  }, scaled(600_000));

  it('has each look at its keyframe and changes smoothly between them, with no jump at either', async () => {
    expect(await distanceToLook(result, clip, 'sepia', [5, 10, 15, 40])).toBeLessThan(3);
    expect(await distanceToLook(result, clip, 'hue_swap', [70, 100, 110])).toBeLessThan(3);
    const output = await frameChanges(result.outputs[0]!.path);
    const source = await frameChanges(clip.path);
    const sourceMax = Math.max(...source);
    // The look changes over the crossfade, a little each frame; a switch would jump by the whole change at once.
    expect(Math.max(...output)).toBeLessThan(sourceMax * 2 + 4);
    for (const keyframe of [10, 100]) expect(Math.max(...output.slice(keyframe - 2, keyframe + 2))).toBeLessThan(sourceMax * 2 + 1);
    expect(await flicker(result.outputs[0]!.path)).toBeLessThan((await flicker(clip.path)) * 1.5);
    expect((result.interpretation as any).guided.shots).toEqual([expect.objectContaining({ keyframes: [10, 100], borrowed: false })]);
  }, scaled(120_000));
});

describe('the mapper with keyframes', () => {
  const width = 640, height = 360, frames = 48;
  const looks: ((r: number, g: number, b: number) => [number, number, number])[] = [
    (r, g, b) => [g, b, r], (r, g, b) => [255 - r, g, b], (r, g, b) => [r * 0.6, g * 0.9, b * 1.2], (r, g, b) => [b, r, g],
  ];
  let modelPaths: string[];
  let input: Buffer;

  beforeAll(async () => {
    const frame0 = textureFrame(width, height);
    modelPaths = [];
    for (const [i, look] of looks.entries()) {
      modelPaths.push(join(root, `texture-${i}.json`));
      await writeFile(modelPaths[i]!, serialiseModel(fitGuidedModel(frame0, mapPixels(frame0, look))));
    }
    input = Buffer.concat(Array.from({ length: frames }, (_, i) => Buffer.from(textureFrame(width, height, i * 2, i).data)));
  }, scaled(300_000));

  /** CPU seconds and peak memory of a mapper child over the frames, on one thread. */
  async function runMapper(mode: 'apply' | 'apply-plan', path: string): Promise<{ cpu: number; peak: number; output: number }> {
    const child = guidedChildCommand(mode, [path, String(width), String(height), '1', '1']);
    const cpu = childCpuSeconds();
    const proc = spawn(child.command, child.args, { stdio: ['pipe', 'pipe', 'inherit'] });
    const sampler = samplePeakRss(proc.pid!, 20);
    let output = 0;
    proc.stdout.on('data', (d: Buffer) => (output += d.length));
    proc.stdin.end(input);
    await once(proc, 'close');
    return { cpu: childCpuSeconds() - cpu, peak: await sampler.stop(), output };
  }

  /** A plan of one shot with `count` keyframes spread over it, each with a model file of its own (copies of the four). */
  async function planWith(count: number): Promise<string> {
    const models: string[] = [];
    for (let i = 0; i < count; i++) {
      models.push(join(root, `plan-${count}-model-${i}.json`));
      await copyFile(modelPaths[i % looks.length]!, models[i]!);
    }
    const anchors = Array.from({ length: count }, (_, i) => ({ frame: Math.round((i * (frames - 1)) / (count - 1)), model: i }));
    const plan: KeyframePlan = { models, shots: [{ start: 0, end: frames, anchors, borrowed: false }] };
    const path = join(root, `plan-${count}.json`);
    await writeFile(path, JSON.stringify(plan));
    return path;
  }

  it('maps every frame lying between four keyframes in at most 1.3× the time of one, in memory that does not grow with more', async () => {
    // CPU time of the same work moves by a quarter on a busy machine: the least of two runs of each.
    const least = async (mode: 'apply' | 'apply-plan', path: string): Promise<Awaited<ReturnType<typeof runMapper>>> => {
      const [a, b] = [await runMapper(mode, path), await runMapper(mode, path)];
      return a.cpu <= b.cpu ? a : b;
    };
    const single = await least('apply', modelPaths[0]!);
    const four = await least('apply-plan', await planWith(4));
    const sixteen = await runMapper('apply-plan', await planWith(16));
    for (const run of [single, four, sixteen]) expect(run.output).toBe(input.length);
    expect(four.cpu).toBeLessThan(single.cpu * 1.3);
    expect(sixteen.peak).toBeLessThan(four.peak * 1.15 + 30 * 1024 ** 2);
    console.log(`mapper, ${frames} frames ${width}×${height}: one keyframe ${single.cpu.toFixed(1)} s cpu / ${(single.peak / 1024 ** 2).toFixed(0)} MB; ` +
      `four ${four.cpu.toFixed(1)} s / ${(four.peak / 1024 ** 2).toFixed(0)} MB; sixteen ${sixteen.cpu.toFixed(1)} s / ${(sixteen.peak / 1024 ** 2).toFixed(0)} MB`);
  }, scaled(600_000));
});
