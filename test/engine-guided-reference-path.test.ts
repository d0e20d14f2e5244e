/**
 * Guided mode without its compiled pixel stage (the chosen behaviour: fall back, warn). With
 * the addon turned off the way a missing build turns it off, a guided render still
 * succeeds, says in its warnings that it ran on the slower reference path, and gives the
 * picture the compiled stage gives (the same frames within one code value before
 * encoding, so the encoded files match closely); with the addon, no such warning.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFrames } from '../src/engines/local/frame-reader.ts';
import { createLocalEngine } from '../src/engines/local/index.ts';
import type { EngineResult } from '../src/engines/types.ts';
import { CLIPS, EFFECTS, effectFrames, writePng } from './support/guided-fixtures.ts';
import { scaled } from './support/deadline.ts';

const run = promisify(execFile);
const media = fileURLToPath(new URL('./fixtures/media/', import.meta.url));
const engine = createLocalEngine();
let root: string;
let clip: string;
let png: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'retake-guided-reference-'));
  // One second of the smallest clip keeps the reference path's render short.
  clip = join(root, 'bbb-1s.mp4');
  await run('ffmpeg', ['-v', 'error', '-t', '1', '-i', join(media, 'bbb_10s.webm'), '-c:v', 'libx264', '-crf', '12', '-preset', 'veryfast', '-an', '-y', clip]);
  const native = CLIPS['bbb_10s.webm'];
  const truth = await effectFrames(clip, native.fps, native, EFFECTS.posterise, [0]);
  png = join(root, 'bbb-posterise.png');
  await writePng(truth.get(0)!, png);
}, scaled(120_000));
afterAll(async () => {
  delete process.env.RETAKE_PIXEL_STAGE;
  await rm(root, { recursive: true, force: true });
});

async function render(): Promise<EngineResult> {
  const workDir = await mkdtemp(join(root, 'job-'));
  return engine.render({
    generationId: 'gen_reference',
    request: { prompt: 'oil painting', input_video: 'bbb-1s.mp4', input_image: 'bbb-posterise.png', resolution: '540p', duration: '5s', hdr: false, exr_export: false },
    workDir,
    signal: new AbortController().signal,
    onProgress: () => undefined,
    async fetchInput(path, name) {
      const dest = join(workDir, name);
      await copyFile(join(root, path), dest);
      return dest;
    },
  });
}

const frames = async (result: EngineResult): Promise<Buffer[]> => (await readFrames({ input: result.outputs[0]!.path, width: 320, height: 180, pixFmt: 'rgb24' })).frames;

describe('a guided render without the compiled pixel stage', () => {
  let compiled: EngineResult;
  let reference: EngineResult;

  beforeAll(async () => {
    delete process.env.RETAKE_PIXEL_STAGE;
    compiled = await render();
    process.env.RETAKE_PIXEL_STAGE = 'reference';
    reference = await render();
  }, scaled(300_000));

  it('renders guided all the same, and says it ran on the slower reference path', () => {
    expect((reference.interpretation as { mode?: string }).mode).toBe('guided');
    expect(reference.warnings.join('\n')).toMatch(/compiled pixel stage is not in use \(RETAKE_PIXEL_STAGE=reference turns it off\); guided mode ran on the TypeScript reference path/);
  });

  it('warns of nothing when the compiled stage is in use', () => {
    expect((compiled.interpretation as { mode?: string }).mode).toBe('guided');
    expect(compiled.warnings.join('\n')).not.toMatch(/pixel stage/);
  });

  it('gives the picture the compiled stage gives', async () => {
    const [a, b] = await Promise.all([frames(compiled), frames(reference)]);
    expect(b.length).toBe(a.length);
    let sum = 0, count = 0;
    for (let f = 0; f < a.length; f++) {
      for (let i = 0; i < a[f]!.length; i++) sum += Math.abs(a[f]![i]! - b[f]![i]!);
      count += a[f]!.length;
    }
    expect(sum / count).toBeLessThan(0.5);
  });
});
