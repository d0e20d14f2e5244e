/**
 * Guided mode through the whole engine: a full render of a clip with a restyled
 * frame 0 lands on the figures the in-process measurement predicts (test/engine-
 * guided.test.ts), beats both baselines in the video file itself, and flickers no more
 * than 1.5× the source; an unrelated image (london.jpg on flower.mp4) falls back to the
 * colour transfer with a warning and never fails the job; the mapper child on several
 * threads writes exactly the frames, in order, that mapping one at a time gives; a
 * cancel stops the chain of processes within a second and leaves nothing behind.
 */
import { execFile, spawn } from 'node:child_process';
import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFrames } from '../src/engines/local/frame-reader.ts';
import { guidedChildCommand } from '../src/engines/local/guided/child-command.ts';
import { workSize } from '../src/engines/local/guided/index.ts';
import { learnFromKeyframe } from '../src/engines/local/guided/learn.ts';
import { learnLook } from '../src/engines/local/guided/marks/learn-look.ts';
import { applyMarks } from '../src/engines/local/guided/marks/marks.ts';
import type { RgbFrame } from '../src/engines/local/guided/metrics.ts';
import { parseModel, serialiseModel } from '../src/engines/local/guided/model-file.ts';
import { applyGuidedModel, fitGuidedModel } from '../src/engines/local/guided/model.ts';
import { relief, textureFrame } from '../src/engines/local/guided/test-frames.ts';
import { createLocalEngine } from '../src/engines/local/index.ts';
import type { EngineJob, EngineProgress, EngineResult } from '../src/engines/types.ts';
import type { VideoRequest } from '../src/models/request.ts';
import { flicker } from './support/flicker.ts';
import { CLIPS, coverFit, EFFECTS, effectFrames, frameIndexes, measurePairs, sourceFrames, TIMES, writePng } from './support/guided-fixtures.ts';
import { scaled } from './support/deadline.ts';

const run = promisify(execFile);
const media = fileURLToPath(new URL('./fixtures/media/', import.meta.url));
const engine = createLocalEngine();
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'retake-guided-render-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function job(request: Partial<VideoRequest>, progress: EngineProgress[] = [], signal = new AbortController().signal): Promise<EngineJob> {
  return mkdtemp(join(root, 'job-')).then((workDir) => ({
    generationId: 'gen_guided',
    request: { prompt: 'watercolor', input_video: 'flower.mp4', resolution: '540p', duration: '5s', hdr: false, exr_export: false, ...request },
    workDir,
    signal,
    onProgress: (p: EngineProgress) => progress.push(p),
    async fetchInput(path: string, name: string) {
      const dest = join(workDir, name);
      await copyFile(path.startsWith('/') ? path : join(media, path), dest);
      return dest;
    },
  }));
}

/** Decoded frames of a rendered file at `indexes` (its own size). */
async function outputFrames(path: string, width: number, height: number, indexes: readonly number[]): Promise<RgbFrame[]> {
  const { frames } = await readFrames({ input: path, width, height, pixFmt: 'rgb24' });
  return indexes.map((i) => ({ width, height, data: new Uint8Array(frames[i]!) }));
}

describe('a full guided render', () => {
  const clip = 'bbb_10s.webm';
  const native = CLIPS[clip];
  const indexes = [0, ...frameIndexes(native.fps, TIMES)];
  let result: EngineResult;
  let truth: Map<number, RgbFrame>;
  let png: string;

  beforeAll(async () => {
    truth = await effectFrames(join(media, clip), native.fps, native, EFFECTS.painterly, indexes);
    png = join(root, 'bbb-painterly.png');
    await writePng(truth.get(0)!, png);
    result = await engine.render(await job({ prompt: 'pencil sketch', input_video: clip, input_image: png }));
  }, scaled(180_000));

  it('records guided mode, its method, the keyframe fit and the alignment', () => {
    const interpretation = result.interpretation as any;
    expect(interpretation.mode).toBe('guided');
    expect(interpretation.guided.mode).toBe('guided');
    expect(interpretation.guided.method).toMatch(/regression/);
    expect(interpretation.guided.keyframe_fit.ssim).toBeGreaterThan(0.7);
    expect(interpretation.guided.alignment.aligned).toBe(true);
    expect(interpretation.guided.combination).toMatch(/image decides/);
    // The top level agrees: the image decided the look, not the prompt's "pencil sketch".
    expect(interpretation).toMatchObject({ style: 'from_image', decided_by: 'image', used_words: [], confidence: 1, runner_up: null });
    expect(interpretation.look.style).toBe('from_image');
    expect((interpretation.ignored_words as string[]).join(' ')).toMatch(/pencil/);
    expect(interpretation.prompt_look).toMatchObject({ style: 'pencil_sketch' });
    expect(result.warnings).toEqual([]);
  });

  it('lands on the figures of the in-process measurement, beating the untouched source', async () => {
    const facts = (result.interpretation as any).output;
    const out = await outputFrames(result.outputs[0]!.path, facts.width, facts.height, indexes.slice(1));
    const truths = indexes.slice(1).map((i) => truth.get(i)!);
    const rendered = measurePairs(out, truths);
    const work = workSize({ width: facts.width, height: facts.height, fps: native.fps, duration: 5, sourceWidth: native.width, sourceHeight: native.height });
    const source = await sourceFrames(join(media, clip), native.fps, work.width, work.height, indexes);
    const image = await coverFit(png, work.width, work.height, join(root, 'bbb-painterly.rgb'));
    // The render adds the restyle's canvas and picture marks after the mapping, when it has any.
    const { model, marks } = learnLook(source.get(0)!, learnFromKeyframe(source.get(0)!, image));
    const map = (frame: RgbFrame): Uint8Array => (marks ? applyMarks(marks, frame, applyGuidedModel(model!, frame)) : applyGuidedModel(model!, frame));
    const predicted = measurePairs(indexes.slice(1).map((i) => ({ ...work, data: map(source.get(i)!) })), truths);
    const untouched = measurePairs(indexes.slice(1).map((i) => source.get(i)!), truths);
    expect(Math.abs(rendered.ssim - predicted.ssim)).toBeLessThan(0.04);
    expect(Math.abs(rendered.deltaE - predicted.deltaE)).toBeLessThan(1.5);
    expect(rendered.ssim).toBeGreaterThan(untouched.ssim);
    expect(rendered.deltaE).toBeLessThan(untouched.deltaE);
  });

  it('flickers no more than 1.5× the source', async () => {
    const cut = join(root, 'bbb-5s.mp4');
    await run('ffmpeg', ['-v', 'error', '-t', '5', '-i', join(media, clip), '-an', '-c:v', 'libx264', '-crf', '16', '-preset', 'veryfast', '-y', cut]);
    expect(await flicker(result.outputs[0]!.path)).toBeLessThan((await flicker(cut)) * 1.5);
  });
});

describe('an image that is not a restyle of frame 0', () => {
  it('falls back to the colour transfer with a warning (london.jpg on flower.mp4)', async () => {
    const short = join(root, 'flower-1s.mp4');
    await run('ffmpeg', ['-v', 'error', '-t', '1', '-i', join(media, 'flower.mp4'), '-c:v', 'libx264', '-preset', 'veryfast', '-y', short]);
    const result = await engine.render(await job({ prompt: 'warm', input_video: short, input_image: 'london.jpg' }));
    const interpretation = result.interpretation as any;
    expect(result.outputs[0]?.path).toMatch(/output\.mp4$/);
    expect(interpretation.mode).toBe('prompt');
    expect(interpretation.guided.mode).toBe('colour_transfer');
    expect(interpretation.guided.alignment.aligned).toBe(false);
    expect(interpretation.colour_transfer).toBeDefined();
    expect(result.warnings.join(' ')).toMatch(/does not line up/);
  }, scaled(120_000));
});

describe('the mapper child', () => {
  it('on three threads writes the frames in order, each exactly as mapping it alone gives', async () => {
    const width = 64, height = 48;
    const frame0 = textureFrame(width, height);
    const model = fitGuidedModel(frame0, relief(frame0));
    const modelPath = join(root, 'threads-model.json');
    await writeFile(modelPath, serialiseModel(model));
    const frames = Array.from({ length: 9 }, (_, i) => textureFrame(width, height, i * 5, i * 3));
    const first = join(root, 'threads-first.rgb');
    await writeFile(first, relief(frame0).data);
    const child = guidedChildCommand('apply', [modelPath, String(width), String(height), '0.8', '3', first]);
    const mapper = spawn(child.command, child.args, { stdio: ['pipe', 'pipe', 'inherit'] });
    const out: Buffer[] = [];
    mapper.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    const exited = new Promise((done) => mapper.on('close', done));
    // Chunks that do not line up with frames, as a pipe delivers them.
    const input = Buffer.concat(frames.map((f) => f.data));
    for (let at = 0; at < input.length; at += 1000) mapper.stdin.write(input.subarray(at, at + 1000));
    mapper.stdin.end();
    expect(await exited).toBe(0);
    // The model as the child reads it (float32 weights), so both sides map alike.
    const read = parseModel(serialiseModel(model));
    const expected = Buffer.concat([relief(frame0).data, ...frames.slice(1).map((f) => applyGuidedModel(read, f, 0.8))]);
    expect(Buffer.concat(out).equals(expected)).toBe(true);
  }, scaled(60_000));
});

describe('cancel during a guided render', () => {
  it('stops within a second and leaves no work files or processes behind', async () => {
    const progress: EngineProgress[] = [];
    const controller = new AbortController();
    // flower.mp4 at a third of its size: the same chain of processes (the mapper on every
    // core), reached in a fraction of the time, still mapping when the cancel comes.
    const small = join(root, 'flower-320.mp4');
    await run('ffmpeg', ['-v', 'error', '-i', join(media, 'flower.mp4'), '-vf', 'scale=320:180', '-c:v', 'libx264', '-preset', 'veryfast', '-y', small]);
    const image = join(root, 'flower-sepia.png');
    await run('ffmpeg', ['-v', 'error', '-i', small, '-frames:v', '1', '-vf', `format=rgb24,${EFFECTS.sepia}`, '-y', image]);
    const theJob = await job({ input_video: small, input_image: image }, progress, controller.signal);
    const rendering = engine.render(theJob);
    const outcome = rendering.then(() => 'finished', (err: unknown) => err);
    while (!progress.some((p) => p.stage === 'rendering' && p.progress > 0.1)) {
      if (await Promise.race([outcome.then(() => true), new Promise((r) => setTimeout(() => r(false), 50))])) break;
    }
    const started = Date.now();
    controller.abort();
    const err = (await outcome) as { code?: string };
    expect(Date.now() - started).toBeLessThan(1000);
    expect(err.code).toBe('cancelled');
    const { stdout } = await run('ps', ['-eo', 'args']);
    expect(stdout).not.toContain(theJob.workDir);
    const left = await readdir(theJob.workDir);
    expect(left.filter((name) => name !== 'source' && name !== 'image')).toEqual([]);
  }, scaled(180_000));
});
