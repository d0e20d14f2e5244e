/**
 * Every file retake-local writes during a render lives inside the job's work directory,
 * which the job runner removes when the job runs again after a crash. A server killed
 * with SIGKILL cannot clean up after itself; anything it had put in the system temp
 * dir (the frame reader's `retake-frames-*` folders, once) would stay there for good.
 * FFmpeg is wrapped by a script that logs its arguments, so the test sees where each
 * run wrote, the analysis runs (auto_controls, the colour transfer) and guided mode's
 * keyframe extraction included.
 */
import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalEngine } from '../src/engines/local/index.ts';
import type { EngineJob } from '../src/engines/types.ts';
import { scaled } from './support/deadline.ts';

const media = fileURLToPath(new URL('./fixtures/media/', import.meta.url));
let root: string;
let log: string;
let ffmpeg: string;
let clip: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'retake-temp-files-'));
  log = join(root, 'ffmpeg-args.log');
  ffmpeg = join(root, 'ffmpeg');
  // One line per run: its arguments, separated by a character no path here contains.
  await writeFile(ffmpeg, `#!/bin/sh\nprintf '%s\\037' "$@" >> '${log}'\necho >> '${log}'\nexec ffmpeg "$@"\n`);
  await chmod(ffmpeg, 0o755);
  clip = join(root, 'flower-1s.mp4');
  await promisify(execFile)('ffmpeg', ['-v', 'error', '-t', '1', '-i', join(media, 'flower.mp4'), '-c:v', 'libx264', '-preset', 'veryfast', '-y', clip]);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The file each logged FFmpeg run wrote (the argument after its last `-y`). */
async function outputsWritten(): Promise<string[]> {
  const runs = (await readFile(log, 'utf8')).split('\n').filter(Boolean).map((line) => line.split('\x1f'));
  return runs.flatMap((args) => args.flatMap((arg, i) => (args[i - 1] === '-y' ? [arg] : [])));
}

describe('temp files of a render', () => {
  it('are all inside the job work directory: analysis, guided learning and the render itself', async () => {
    const workDir = await mkdtemp(join(root, 'job-'));
    const job: EngineJob = {
      generationId: 'gen_temp_files',
      // london.jpg is not a restyle of flower.mp4: guided learning runs, then the colour
      // transfer measures the image and the styled source; auto_controls reads motion.
      request: { prompt: 'warm', input_video: clip, input_image: join(media, 'london.jpg'), resolution: '540p', duration: '5s', hdr: false, exr_export: false, auto_controls: true },
      workDir,
      signal: new AbortController().signal,
      onProgress: () => undefined,
      async fetchInput(path: string, name: string) {
        const dest = join(workDir, name);
        await copyFile(path, dest);
        return dest;
      },
    };
    const result = await createLocalEngine({ ffmpegPath: ffmpeg }).render(job);
    expect(result.warnings.join(' ')).toMatch(/does not line up/);
    const outputs = await outputsWritten();
    // guided keyframe + image, motion, image stats, styled stats, the render.
    expect(outputs.length).toBeGreaterThanOrEqual(6);
    expect(outputs.filter((path) => !path.startsWith(`${workDir}/`))).toEqual([]);
    expect(outputs.some((path) => path.includes('/retake-frames-'))).toBe(true);
  }, scaled(120_000));
});
