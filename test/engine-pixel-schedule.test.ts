/**
 * Pixel art under a strength schedule (auto controls: segments of different strength).
 * Its cells are worked on in the marks stage at one size for the whole render, so every
 * segment is sampled to the grid of the strongest: a render whose segments differ in
 * strength comes out whole, at the output's size, with cells of one size throughout
 * (a grid per segment gave the stage frames of two sizes).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFrames } from '../src/engines/local/frame-reader.ts';
import { runMarksRender } from '../src/engines/local/marks/stage.ts';
import { probeMedia } from '../src/engines/local/probe.ts';
import { promptToLook } from '../src/engines/local/prompt-to-look.ts';
import { pixelCell } from '../src/engines/local/recipes/screen.ts';
import { planRender } from '../src/engines/local/render-plan.ts';
import type { VideoRequest } from '../src/models/request.ts';
import { scaled } from './support/deadline.ts';

const run = promisify(execFile);
const [W, H] = [960, 540];
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'retake-pixel-schedule-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * The lengths of the runs of like pixels along row `y` of an RGB frame (within what the
 * encoder blurs): a cell's width, or a whole number of them.
 */
function runsAlong(data: Uint8Array, y: number): number[] {
  const runs: number[] = [];
  let length = 1;
  for (let x = 1; x < W; x++) {
    const a = 3 * (y * W + x), b = a - 3;
    if (Math.abs(data[a]! - data[b]!) + Math.abs(data[a + 1]! - data[b + 1]!) + Math.abs(data[a + 2]! - data[b + 2]!) < 24) length++;
    else { runs.push(length); length = 1; }
  }
  return runs;
}

describe('pixel art under a strength schedule', () => {
  it('renders every segment on the strongest segment\'s grid, at the output size', async () => {
    const source = join(dir, 'source.mp4');
    await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=${W}x${H}:rate=30:duration=2`, '-pix_fmt', 'yuv420p', source]);
    const request: VideoRequest = { prompt: 'pixel art', input_video: 'x', resolution: '540p', duration: '5s', hdr: false, exr_export: false };
    const segments = [{ start: 0, end: 1, intensity: 0.3 }, { start: 1, end: 2, intensity: 1 }];
    const out = join(dir, 'out.mp4');
    const plan = planRender({ source: await probeMedia(source), sourcePath: source, request, look: promptToLook(request.prompt), outputPath: out, segments });
    const cell = pixelCell(1, { width: W, height: H });
    await runMarksRender({ ...plan, marks: plan.marks! });
    const facts = await probeMedia(out);
    expect([facts.width, facts.height]).toEqual([W, H]);
    expect(facts.duration).toBeGreaterThan(1.9);
    // A frame of each segment: the cells are the strongest segment's size in both
    // (runs of equal pixels along a row are whole cells, or several of one colour).
    const { frames } = await readFrames({ input: out, width: W, height: H, pixFmt: 'rgb24' });
    for (const frame of [frames[10]!, frames[50]!]) {
      const runs = runsAlong(new Uint8Array(frame.buffer, frame.byteOffset, frame.length), Math.floor(H / 2));
      const whole = runs.slice(1, -1).filter((r) => r % cell === 0).length / (runs.length - 2);
      console.log(`pixel art under a schedule: ${(100 * whole).toFixed(0)} % of ${runs.length} runs whole cells of ${cell} px`);
      expect(whole).toBeGreaterThan(0.8);
    }
    expect(plan.marks).toMatchObject({ kernel: 'pixel_cells', width: Math.ceil(W / cell), height: Math.ceil(H / cell) });
  }, scaled(120_000));
});
