/**
 * The painted looks through the real engine, their marks drawn by the marks stage's
 * kernels: oil's strokes run along the form (their orientation agrees with the source's
 * field of directions, not one way across the screen) and sweep a smooth background in
 * broad, even strokes, watercolor's pigment granulates in
 * the paper's tooth, pastel lays chalk on a toothy paper that shows in the flat parts of
 * the picture, lifts the key without losing its darks and keeps its soft palette on a
 * black-and-white source, and no painted look flickers more than 1.5 times its source.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFrames } from '../src/engines/local/frame-reader.ts';
import { createLocalEngine } from '../src/engines/local/index.ts';
import { flowFieldReference } from '../src/engines/local/marks/flow-field.ts';
import { localJob } from './support/engine-job.ts';
import { boxBlur, chroma, luma, mean, std } from './support/picture-measures.ts';

const run = promisify(execFile);
const media = fileURLToPath(new URL('./fixtures/media/', import.meta.url));
const engine = createLocalEngine();
const [width, height] = [960, 540];
let root: string;
const clips = { colour: '', grey: '' };
const frames = new Map<string, Buffer[]>();

async function rgbFrames(path: string): Promise<Buffer[]> {
  return (await readFrames({ input: path, width, height, pixFmt: 'rgb24' })).frames.map((f) => Buffer.from(f));
}

async function render(prompt: string, clip: string): Promise<Buffer[]> {
  const workDir = join(root, `job-${Math.random().toString(36).slice(2)}`);
  await mkdir(workDir);
  const result = await engine.render(localJob(workDir, { prompt, input_video: clip }));
  return rgbFrames(result.outputs[0]!.path);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'retake-paint-'));
  clips.colour = join(root, 'flower.mp4');
  clips.grey = join(root, 'flower-grey.mp4');
  await run('ffmpeg', ['-v', 'error', '-ss', '2', '-t', '1', '-i', join(media, 'flower.mp4'), '-an', '-c:v', 'libx264', '-crf', '16', '-preset', 'veryfast', '-y', clips.colour]);
  await run('ffmpeg', ['-v', 'error', '-i', clips.colour, '-vf', 'format=gray,format=yuv420p', '-c:v', 'libx264', '-crf', '16', '-preset', 'veryfast', '-y', clips.grey]);
  frames.set('source', await rgbFrames(clips.colour));
  for (const [name, prompt, clip] of [['oil', 'oil painting', clips.colour], ['watercolor', 'watercolor', clips.colour], ['pastel', 'pastel', clips.colour], ['pastel-grey', 'pastel', clips.grey]] as const) {
    frames.set(name, await render(prompt, clip));
  }
}, 600_000);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const picture = (name: string, index = 15) => ({ data: frames.get(name)![index]!, width, height });

/** A plane's fine detail: itself minus its 5×5 box blur. */
function fine(plane: Float32Array): Float32Array {
  const blurred = boxBlur(plane, width, height, 2);
  return plane.map((v, i) => v - blurred[i]!);
}

/** Mean |cos| of the angle between two fields where `where` holds (2/π ≈ 0.64 for unrelated ones). */
function agreement(a: Float32Array, b: Float32Array, where: (i: number) => boolean): number {
  return mean(a.map((v, i) => Math.abs(Math.cos(v - b[i]!))), where);
}

describe('painted looks made of marks, through the engine', () => {
  it('oil painting draws its strokes along the form, not one way across the screen', () => {
    const source = luma(picture('source'));
    const form = flowFieldReference(source.map((v) => v / 255), width, height, 6);
    // The orientation of the output's fine texture, where the source itself is smooth (so
    // that the texture is the strokes', not the picture's own edges) and has a direction.
    const strokes = flowFieldReference(fine(luma(picture('oil'))).map((v) => v / 255), width, height, 3);
    const smooth = boxBlur(fine(source).map(Math.abs), width, height, 4);
    const where = (i: number): boolean => smooth[i]! < 1.5 && form.coherence[i]! > 0.4 && strokes.coherence[i]! > 0.3;
    expect(mean(smooth.map((v, i) => (where(i) ? 1 : 0)))).toBeGreaterThan(0.05);
    expect(agreement(form.angle, strokes.angle, where)).toBeGreaterThan(0.8);
  });

  it('oil painting lays a smooth background in broad, even strokes and keeps its small strokes for the detailed parts', () => {
    // A single stroke texture over the whole frame (a uniform swirl) gives the flat parts as
    // much fine texture as the detailed ones; a painter sweeps a backdrop in broad strokes.
    const source = luma(picture('source'));
    const local = boxBlur(fine(source).map(Math.abs), width, height, 4);
    const texture = fine(luma(picture('oil'))).map(Math.abs);
    const inSmooth = mean(texture, (i) => local[i]! < 1.5), inDetailed = mean(texture, (i) => local[i]! > 4);
    console.log(`oil: fine texture where the source is smooth ${inSmooth.toFixed(2)}, where detailed ${inDetailed.toFixed(2)}`);
    expect(inSmooth / inDetailed).toBeLessThan(0.7);
  });

  it('watercolor\'s pigment granulates in the paper\'s tooth where the source is smooth, not a blurred photo', () => {
    const source = luma(picture('source'));
    const out = luma(picture('watercolor'));
    const smooth = boxBlur(fine(source).map(Math.abs), width, height, 4);
    // Where the source has no fine detail and the wash holds pigment (not bare paper), the
    // pigment's fine texture is the paper's grain showing through it.
    const washed = (i: number): boolean => smooth[i]! < 1.5 && out[i]! < 215;
    expect(mean(smooth.map((v) => (v < 1.5 ? 1 : 0)))).toBeGreaterThan(0.3);
    expect(mean(fine(out).map(Math.abs), washed)).toBeGreaterThan(2.5);
  });

  it('pastel lifts the key but keeps its darks and its value contrast', () => {
    const source = luma(picture('source'));
    const out = luma(picture('pastel'));
    const darkest = [...source].sort((a, b) => a - b)[Math.floor(source.length / 10)]!;
    expect(mean(out)).toBeGreaterThan(mean(source) + 15);
    // The source's darkest tenth (shadows, pupils, dark accents) stays dark, not chalk-pale.
    expect(mean(out, (i) => source[i]! <= darkest)).toBeLessThan(80);
    expect(std(out)).toBeGreaterThan(std(source) * 0.7);
  });

  it('pastel shows the paper\'s tooth and chalk texture where the source is smooth', () => {
    const source = luma(picture('source'));
    const smooth = boxBlur(fine(source).map(Math.abs), width, height, 4);
    const flat = (i: number): boolean => smooth[i]! < 1;
    const texture = (plane: Float32Array): number => mean(fine(plane).map(Math.abs), flat);
    expect(texture(source)).toBeLessThan(1);
    expect(texture(luma(picture('pastel')))).toBeGreaterThan(2);
  });

  it('pastel keeps a soft palette of colour on a black-and-white source, lighter than it', () => {
    const grey = picture('pastel-grey');
    expect(mean(chroma(grey))).toBeGreaterThan(20);
    expect(mean(luma(grey))).toBeGreaterThan(mean(luma(picture('source'))) + 20);
  });

  it('flickers no more than 1.5 times the source', () => {
    const flicker = (list: Buffer[]): number => {
      let sum = 0;
      for (let f = 1; f < list.length; f++) for (let i = 0; i < list[f]!.length; i += 7) sum += Math.abs(list[f]![i]! - list[f - 1]![i]!);
      return sum / (list.length - 1);
    };
    const base = flicker(frames.get('source')!);
    for (const look of ['oil', 'watercolor', 'pastel']) expect(flicker(frames.get(look)!) / base, look).toBeLessThanOrEqual(1.5);
  });
});
