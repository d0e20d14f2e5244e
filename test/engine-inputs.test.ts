/**
 * retake-local on inputs of every kind, each made here with FFmpeg (160×90 or 90×160,
 * about a second): a display-matrix rotation, a portrait clip, variable frame rate,
 * 10-bit HEVC, AV1, HEVC, VP8 and VP9, with and without audio. Every one must come out
 * as an upright H.264 MP4 at the right size, a constant frame rate and its own length
 * (shorter than the requested duration, with a warning).
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalEngine } from '../src/engines/local/index.ts';
import type { EngineJob, EngineResult } from '../src/engines/types.ts';
import { scaled } from './support/deadline.ts';

const run = promisify(execFile);
const engine = createLocalEngine();
let root: string;

const BARS = ['-f', 'lavfi', '-i', 'testsrc2=s=160x90:r=30:d=1'];
const TONE = ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1'];

/** How each input is made: ffmpeg arguments before the output name. */
const INPUTS: Record<string, string[]> = {
  'landscape.mp4': [...BARS, '-c:v', 'libx264'],
  'portrait.mp4': ['-f', 'lavfi', '-i', 'testsrc2=s=90x160:r=30:d=1', ...TONE, '-c:v', 'libx264', '-c:a', 'aac', '-shortest'],
  // 15 frames at 30 fps, then 15 at 15 fps: 30 frames over about 1.5 s.
  'vfr.mp4': [...BARS, '-vf', "setpts='if(lt(N,15),N/30,0.5+(N-15)/15)/TB'", '-fps_mode', 'vfr', '-c:v', 'libx264'],
  'hevc10.mp4': [...BARS, ...TONE, '-pix_fmt', 'yuv420p10le', '-c:v', 'libx265', '-x265-params', 'log-level=error', '-c:a', 'aac', '-tag:v', 'hvc1'],
  'hevc.mkv': [...BARS, '-pix_fmt', 'yuv420p', '-c:v', 'libx265', '-x265-params', 'log-level=error'],
  'av1.mkv': [...BARS, ...TONE, '-pix_fmt', 'yuv420p', '-c:v', 'libaom-av1', '-cpu-used', '8', '-row-mt', '1', '-b:v', '200k', '-c:a', 'libopus'],
  'vp8.webm': [...BARS, ...TONE, '-c:v', 'libvpx', '-b:v', '300k', '-c:a', 'libvorbis'],
  'vp9.webm': [...BARS, '-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '300k'],
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'retake-inputs-'));
  await Promise.all(Object.entries(INPUTS).map(([name, args]) => run('ffmpeg', ['-v', 'error', ...args, '-y', join(root, name)])));
  // A 90° display matrix on a landscape stream (players show it portrait); FFmpeg 5.1
  // writes the matrix only when remuxing.
  await run('ffmpeg', ['-v', 'error', '-i', join(root, 'landscape.mp4'), '-c', 'copy', '-metadata:s:v:0', 'rotate=90', '-y', join(root, 'rotated.mp4')]);
}, scaled(60_000));
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function render(input: string): Promise<{ result: EngineResult; workDir: string }> {
  const workDir = await mkdtemp(join(root, 'job-'));
  const job: EngineJob = {
    generationId: 'gen_inputs',
    request: { prompt: 'warm watercolor', input_video: input, resolution: '540p', duration: '5s', hdr: false, exr_export: false },
    workDir,
    signal: new AbortController().signal,
    onProgress: () => undefined,
    async fetchInput(name, dest) {
      await copyFile(join(root, name), join(workDir, dest));
      return join(workDir, dest);
    },
  };
  return { result: await engine.render(job), workDir };
}

interface Facts { width: number; height: number; codec: string; pixFmt: string; fps: string; baseFps: string; frames: number; duration: number; audio: boolean; rotation: number }

async function probe(path: string): Promise<Facts> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-count_frames', '-show_streams', '-show_format', '-of', 'json', path]);
  const json = JSON.parse(stdout) as { streams: Record<string, unknown>[]; format: { duration: string } };
  const v = json.streams.find((s) => s.codec_type === 'video') ?? {};
  const matrix = (v.side_data_list as { rotation?: number }[] | undefined)?.find((s) => s.rotation !== undefined);
  return {
    width: Number(v.width), height: Number(v.height), codec: String(v.codec_name), pixFmt: String(v.pix_fmt),
    fps: String(v.avg_frame_rate), baseFps: String(v.r_frame_rate), frames: Number(v.nb_read_frames),
    duration: Number(json.format.duration), audio: json.streams.some((s) => s.codec_type === 'audio'), rotation: matrix?.rotation ?? 0,
  };
}

describe('inputs of every kind', () => {
  it.each([
    // input, output size, audio, source length (s)
    ['rotated.mp4', [540, 960], false, 1],
    ['portrait.mp4', [540, 960], true, 1],
    ['vfr.mp4', [960, 540], false, 1.5],
    ['hevc10.mp4', [960, 540], true, 1],
    ['hevc.mkv', [960, 540], false, 1],
    ['av1.mkv', [960, 540], true, 1],
    ['vp8.webm', [960, 540], true, 1],
    ['vp9.webm', [960, 540], false, 1],
  ] as const)('renders %s upright at %j, audio %s, at its own length', async (input, [width, height], audio, length) => {
    const { result, workDir } = await render(input);
    const out = await probe(result.outputs[0]!.path);
    expect(out).toMatchObject({ width, height, codec: 'h264', pixFmt: 'yuv420p', audio, rotation: 0, fps: '30/1', baseFps: '30/1' });
    expect(Math.abs(out.duration - length)).toBeLessThan(0.1);
    // Constant rate: as many frames as the length holds at 30 fps.
    expect(Math.abs(out.frames - length * 30)).toBeLessThanOrEqual(1);
    expect(result.warnings.join('\n')).toMatch(new RegExp(`Source is ${length.toFixed(1)} s, shorter than 5s`));
    expect(result.interpretation).toMatchObject({ output: { width, height, fps: 30, audio } });
    expect((await readdir(workDir)).sort()).toEqual(['output.mp4', 'source']);
  }, scaled(30_000));

  it('starts from inputs that really are rotated and variable-rate', async () => {
    expect((await probe(join(root, 'rotated.mp4'))).rotation).toBe(90);
    const vfr = await probe(join(root, 'vfr.mp4'));
    expect(vfr).toMatchObject({ baseFps: '30/1', frames: 30 });
    expect(vfr.fps).not.toBe('30/1');
  });
});
