/**
 * Watercolor paints a photograph's dense small texture (grass, fur) in its own washes
 * instead of copying it, and keeps a face in the same frame. The frame is a lawn
 * (grass.png, tiled) with the portrait clip's face set in the middle, rendered through
 * the engine; the texture carried is measured by metrics/texture-kept.ts, the face's
 * structure by boxStructure (metrics/tone-detail.ts).
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
import { boxStructure, type Box } from '../src/engines/local/metrics/tone-detail.ts';
import { textureKept } from '../src/engines/local/metrics/texture-kept.ts';
import { localJob } from './support/engine-job.ts';

const run = promisify(execFile);
const media = fileURLToPath(new URL('./fixtures/media/', import.meta.url));
const engine = createLocalEngine();
const [width, height] = [960, 540];
/** The face (lying on its side, with glasses), in the face clip set 360×540 in the middle of the frame. */
const FACE: Box = { x: 0.38, y: 0.37, width: 0.25, height: 0.33 };
/**
 * The photograph's texture carried, at most, and the face's structure kept, at least.
 * Before watercolor read the frame without its dense texture (abstraction.c) it carried
 * 0.36 of the lawn's texture, with the face's structure at 0.84; now 0.17, with 0.86.
 */
const BOUNDS = { texture: 0.28, face: 0.75 };
let root: string;
let lawn: string;
let source: Uint8Array;

async function frameOf(path: string): Promise<Uint8Array> {
  return (await readFrames({ input: path, width, height, pixFmt: 'rgb24' })).frames[5]!;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'retake-paint-texture-'));
  lawn = join(root, 'lawn.mp4');
  const graph = [
    '[0:v]scale=-2:540,split[g1][g2]', '[g1][g2]hstack,crop=960:540:0:0,format=yuv420p,setpts=PTS-STARTPTS[lawn]',
    '[1:v]scale=360:540,setsar=1,setpts=PTS-STARTPTS[face]', '[lawn][face]overlay=300:0:shortest=1,format=yuv420p[v]',
  ].join(';');
  await run('ffmpeg', ['-v', 'error', '-loop', '1', '-framerate', '30', '-i', join(media, 'grass.png'), '-ss', '0.2', '-t', '0.5', '-i', join(media, 'portrait.mp4'),
    '-filter_complex', graph, '-map', '[v]', '-c:v', 'libx264', '-crf', '14', '-preset', 'veryfast', '-y', lawn]);
  source = await frameOf(lawn);
}, 120_000);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('watercolor on a dense texture', () => {
  it('paints a lawn in its own washes, not the photograph\'s blades, and keeps the face set in it', async () => {
    const workDir = join(root, 'watercolor');
    await mkdir(workDir);
    const result = await engine.render(localJob(workDir, { prompt: 'watercolor', input_video: lawn }));
    const styled = { data: await frameOf(result.outputs[0]!.path), width, height };
    const before = { data: source, width, height };
    const texture = textureKept(before, styled).kept ?? 1;
    const face = boxStructure(before, styled, FACE).kept ?? 0;
    console.log(`watercolor: the lawn's texture carried ${texture.toFixed(2)}, the face's structure kept ${face.toFixed(2)}`);
    expect(texture).toBeLessThan(BOUNDS.texture);
    expect(face).toBeGreaterThan(BOUNDS.face);
  }, 180_000);
});
