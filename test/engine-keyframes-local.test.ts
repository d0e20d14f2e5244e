/**
 * retake-local with `keyframes`: one keyframe at frame 0 is `input_image` by another
 * name, so the two requests render the same bytes; the request keeps its keyframes on
 * the way in (the engine's entry makes the one into the other).
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalEngine } from '../src/engines/local/index.ts';
import type { EngineJob, EngineResult } from '../src/engines/types.ts';
import { parseVideoRequest } from '../src/models/index.ts';
import { MEDIA_DIR } from './support/media-server.ts';
import { scaled } from './support/deadline.ts';

const run = promisify(execFile);
let dir: string;
let clip: string;
let restyled: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'retake-keyframes-'));
  clip = join(dir, 'clip.mp4');
  restyled = join(dir, 'restyled.png');
  await run('ffmpeg', ['-v', 'error', '-y', '-i', join(MEDIA_DIR, 'flower.mp4'), '-t', '1', '-vf', 'scale=-2:180', '-an', '-c:v', 'libx264', '-preset', 'ultrafast', clip]);
  // A restyle of frame 0: posterised and warmed, the kind of image guided mode learns from.
  await run('ffmpeg', ['-v', 'error', '-y', '-i', clip, '-frames:v', '1', '-vf', 'scale=-2:540,colorchannelmixer=rr=1.1:bb=0.8,lutyuv=y=floor(val/48)*48', restyled]);
}, scaled(60_000));
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function render(body: Record<string, unknown>, name: string): Promise<{ result: EngineResult; bytes: Buffer }> {
  const workDir = await mkdtemp(join(dir, `${name}-`));
  const request = parseVideoRequest({ prompt: 'keep the look of the keyframe', input_video: pathToFileURL(clip).href, ...body });
  const job: EngineJob = {
    generationId: name, request, workDir, signal: new AbortController().signal, onProgress: () => undefined,
    async fetchInput(url, file) {
      const dest = join(workDir, file);
      await copyFile(fileURLToPath(url), dest);
      return dest;
    },
  };
  const result = await createLocalEngine().render(job);
  return { result, bytes: await readFile(result.outputs[0]!.path) };
}

describe('retake-local with keyframes', () => {
  it('renders one keyframe at frame 0 byte for byte as the same image given as input_image', async () => {
    const image = pathToFileURL(restyled).href;
    const asImage = await render({ input_image: image }, 'image');
    const asKeyframe = await render({ keyframes: [{ image, frame: 0 }] }, 'keyframe');
    expect(asKeyframe.bytes.length).toBeGreaterThan(1000);
    expect(asKeyframe.bytes.equals(asImage.bytes)).toBe(true);
    expect(asKeyframe.result.interpretation).toEqual(asImage.result.interpretation);
    expect(asKeyframe.result.warnings).toEqual(asImage.result.warnings);
  }, scaled(300_000));
});
