/**
 * The marks stage through the real engine: a look with a marks step (pencil sketch, whose
 * strokes come from a C kernel) renders as decoder | marks child | encoder, the kernel's
 * marks land on the output as the kernel makes them, with the source's audio; and a
 * cancel ends the whole chain. Charcoal's tone carries no speckle.
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
import { lookMarks } from '../src/engines/local/look-filters.ts';
import { markStill, readStill } from '../src/engines/local/marks/still.ts';
import { probeMedia } from '../src/engines/local/probe.ts';
import { lookIntensity } from '../src/engines/local/strength.ts';
import type { EngineJob } from '../src/engines/types.ts';
import { localJob } from './support/engine-job.ts';
import { boxBlur, luma } from './support/picture-measures.ts';

const run = promisify(execFile);
const media = fileURLToPath(new URL('./fixtures/media/', import.meta.url));
const engine = createLocalEngine();
const [width, height] = [960, 540];
let root: string;
let clip: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'retake-marks-'));
  clip = join(root, 'flower.mp4');
  await run('ffmpeg', ['-v', 'error', '-ss', '2', '-t', '1', '-i', join(media, 'flower.mp4'), '-c:v', 'libx264', '-crf', '16', '-preset', 'veryfast', '-c:a', 'aac', '-y', clip]);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function job(prompt: string, signal = new AbortController().signal): EngineJob & { workDir: string } {
  return localJob(join(root, `job-${Math.random().toString(36).slice(2)}`), { prompt, input_video: clip }, signal);
}

/** Correlation of two planes' fine detail (each minus its 5×5 box blur). */
function detailCorrelation(a: Float32Array, b: Float32Array): number {
  const ha = boxBlur(a, width, height, 2), hb = boxBlur(b, width, height, 2);
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]! - ha[i]!, y = b[i]! - hb[i]!;
    ab += x * y; aa += x * x; bb += y * y;
  }
  return ab / Math.sqrt(aa * bb);
}

describe('a look with a marks step through the engine', () => {
  it('renders the kernel\'s marks onto the frames, as the kernel makes them, and keeps the audio', async () => {
    const pencil = job('pencil sketch');
    await mkdir(pencil.workDir);
    const result = await engine.render(pencil);
    const out = result.outputs[0]!.path;
    const facts = await probeMedia(out);
    expect(facts.hasAudio).toBe(true);
    expect(facts.duration).toBeGreaterThan(0.9);
    const { frames } = await readFrames({ input: out, width, height, pixFmt: 'rgb24' });
    expect(frames.length).toBeGreaterThanOrEqual(29);
    // Frame 0 is what the look's kernel makes of the source's frame 0 (the same kernel run
    // on a still, in this process): the same strokes in the same places, through the encode.
    const step = lookMarks({ style: 'pencil_sketch', palette: 'none', modifiers: [] }, lookIntensity(undefined, []), { width, height })!;
    const expected = markStill(step.marks, await readStill(clip, width, height), step.params);
    const rendered = luma({ data: frames[0]!, width, height });
    // Without the marks stage (the look's old filtergraph) it is near 0.
    expect(detailCorrelation(rendered, luma({ width, height, data: Buffer.from(expected.data) }))).toBeGreaterThan(0.5);
  });

  it('ends the whole chain on cancel', async () => {
    const controller = new AbortController();
    const pencil = { ...job('pencil sketch', controller.signal), onProgress: (p: { stage?: string; progress: number }) => p.stage === 'rendering' && p.progress > 0.06 && controller.abort() };
    await mkdir(pencil.workDir);
    await expect(engine.render(pencil)).rejects.toMatchObject({ code: 'cancelled' });
  });
});

describe('the drawn media\'s marks', () => {
  it('charcoal lays an even tone with no salt-and-pepper speckle: its paper tooth shows only inside strokes', () => {
    // A soft horizontal ramp of greys: no form and no edges, so whatever grain the output
    // has is the medium's own. Speckle is a pixel far off its 3×3 neighbourhood's mean.
    const data = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.fill(Math.round(70 + (80 * x) / (width - 1)), (y * width + x) * 3, (y * width + x) * 3 + 3);
    const step = lookMarks({ style: 'charcoal', palette: 'none', modifiers: [] }, lookIntensity(undefined, []), { width, height })!;
    const out = luma({ width, height, data: Buffer.from(markStill(step.marks, { width, height, data }, step.params, 3).data) });
    const mean3 = boxBlur(out, width, height, 1);
    let specks = 0;
    for (let i = 0; i < out.length; i++) if (Math.abs(out[i]! - mean3[i]!) > 12) specks++;
    console.log(`charcoal on a grey ramp: ${((100 * specks) / out.length).toFixed(1)} % of pixels are specks`);
    // With the tooth laid over the whole tone, as a photocopy's noise, it is 14 %.
    expect(specks / out.length).toBeLessThan(0.03);
  });
});
