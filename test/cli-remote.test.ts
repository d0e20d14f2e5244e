/**
 * `retake run --server URL`: the CLI as a client of a served retake. A local file is
 * uploaded, progress is shown as `retake edit` shows it, the result is downloaded; bad
 * flags are named as flags; a failed generation exits 1 with its code.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../src/api/testing.ts';
import { scaled } from './support/deadline.ts';
import { shortClips, type ShortClips } from './support/short-clips.ts';

const BIN = resolve('bin/retake.js');
let h: Harness;
let clips: ShortClips;
let out: string;

beforeAll(async () => {
  clips = await shortClips();
  h = await startHarness({ listen: true, role: 'all' });
  out = await mkdtemp(join(tmpdir(), 'retake-run-'));
});

afterAll(async () => {
  await h?.close();
  await clips?.close();
  await rm(out, { recursive: true, force: true });
});

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, RETAKE_KEY: h.secret, RETAKE_URL: '', RETAKE_LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('retake run --server', () => {
  it('uploads a local clip, shows progress lines like retake edit, and writes the rendered MP4', async () => {
    const target = join(out, 'noir.mp4');
    const run = await cli(['run', '--server', h.baseUrl, join(clips.dir, 'short.mp4'), '--prompt', 'film noir', '-o', target]);
    expect(run.stderr).toMatch(/^\s*\d+% rendering/m);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`Wrote ${target} \\(`));
    const { stdout } = await promisify(execFile)('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=height', '-of', 'csv=p=0', target]);
    expect(Number(stdout.trim())).toBe(540);
    const { generations } = (await h.app.inject({ method: 'GET', url: '/api/ai/queue', headers: h.auth })).json<{ generations: { prompt: string; input_video: string }[] }>();
    expect(generations[0]).toMatchObject({ prompt: 'film noir', input_video: expect.stringContaining('/files/uploads/') });
  });

  it('sends --keyframe images uploaded, a time turned into the source\'s frame', async () => {
    const image = resolve('test/fixtures/media/london.jpg');
    const target = join(out, 'keyframes.mp4');
    const run = await cli(['run', '--server', h.baseUrl, join(clips.dir, 'long.mp4'), '--prompt', 'watercolor', '--keyframe', `0:${image}`, '--keyframe', `2.5s:${image}`, '--resolution', '540p', '-o', target]);
    expect(run.stderr).not.toMatch(/error/);
    expect(run.code).toBe(0);
    const { generations } = (await h.app.inject({ method: 'GET', url: '/api/ai/queue', headers: h.auth })).json<{ generations: { keyframes?: { image: string; frame: number }[] }[] }>();
    // long.mp4 is flower.mp4's first 5 s at 29.97 fps: 2.5 s is frame 74.
    expect(generations[0]!.keyframes).toEqual([
      { image: expect.stringContaining('/files/uploads/') as string, frame: 0 },
      { image: expect.stringContaining('/files/uploads/') as string, frame: 74 },
    ]);
  }, scaled(180_000));

  it('names a bad flag (exit 2) and reports a failed generation with its code (exit 1)', async () => {
    const bad = await cli(['run', '--server', h.baseUrl, clips.url('short.mp4'), '--prompt', 'noir', '--resolution', '4k', '-o', join(out, 'x.mp4')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--resolution');
    await writeFile(join(clips.dir, 'text.mp4'), 'not a video');
    const failed = await cli(['run', '--server', h.baseUrl, clips.url('short.mp4').replace('short.mp4', 'text.mp4'), '--prompt', 'noir', '-o', join(out, 'y.mp4')]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('error input_not_media');
  });
});
