/**
 * retake-local end to end with real FFmpeg on the fixture clips: geometry, length,
 * audio, the input image as frame 0, the black-and-white look, edit_strength, the
 * bad-media errors and cancel. Renders stay at 540p on the short clips.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineInterpretationSchema } from '../src/engines/interpretation-schema.ts';
import { RetakeError } from '../src/errors/index.ts';
import { createLocalEngine } from '../src/engines/local/index.ts';
import type { EngineJob, EngineProgress, EngineResult } from '../src/engines/types.ts';
import type { VideoRequest } from '../src/models/request.ts';
import { EFFECTS } from './support/guided-fixtures.ts';
import { scaled } from './support/deadline.ts';

const run = promisify(execFile);
/** The interpretation's published schema (OpenAPI): what a render records must match it. */
const documented = new Ajv2020({ strict: false }).compile(engineInterpretationSchema);
const media = fileURLToPath(new URL('./fixtures/media/', import.meta.url));
const engine = createLocalEngine();
const SEPIA = EFFECTS.sepia;
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'retake-engine-'));
  // Inputs the fixtures do not cover, made on the spot.
  await writeFile(join(root, 'notes.txt'), 'this is not a video\n'.repeat(200));
  await writeFile(join(root, 'truncated.mp4'), (await readFile(join(media, 'flower.mp4'))).subarray(0, 400_000));
  await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-c:a', 'aac', '-y', join(root, 'audio-only.m4a')]);
  await run('ffmpeg', ['-v', 'error', '-i', join(media, 'portrait.mp4'), '-c', 'copy', '-metadata:s:v:0', 'rotate=90', '-y', join(root, 'rotated.mp4')]);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function fixture(name: string): string {
  return name.startsWith('gen:') ? join(root, name.slice(4)) : join(media, name);
}

/** A job whose input URLs are fixture names (`gen:` for files made above). */
async function makeJob(request: Partial<VideoRequest>, signal = new AbortController().signal) {
  const workDir = await mkdtemp(join(root, 'job-'));
  const progress: EngineProgress[] = [];
  const job: EngineJob = {
    generationId: 'gen_test',
    request: { prompt: 'a neutral grade', input_video: 'flower.mp4', resolution: '540p', duration: '5s', hdr: false, exr_export: false, ...request },
    workDir,
    signal,
    onProgress: (p) => progress.push(p),
    async fetchInput(url, name) {
      const dest = join(workDir, name);
      await copyFile(fixture(url), dest);
      return dest;
    },
  };
  return { job, progress, workDir };
}

async function render(request: Partial<VideoRequest>): Promise<{ result: EngineResult; progress: EngineProgress[]; workDir: string; out: string }> {
  const { job, progress, workDir } = await makeJob(request);
  const result = await engine.render(job);
  return { result, progress, workDir, out: result.outputs[0]?.path ?? '' };
}

async function probe(path: string) {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-count_frames', '-of', 'json', path]);
  const json = JSON.parse(stdout) as { streams: Record<string, string | number>[]; format: { duration: string } };
  const video = json.streams.find((s) => s.codec_type === 'video') ?? {};
  return {
    width: Number(video.width), height: Number(video.height), fps: String(video.avg_frame_rate), frames: Number(video.nb_read_frames),
    codec: video.codec_name, pixFmt: video.pix_fmt, duration: Number(json.format.duration),
    audio: json.streams.some((s) => s.codec_type === 'audio'),
    channels: Number(json.streams.find((s) => s.codec_type === 'audio')?.channels ?? 0),
  };
}

/** ffmpeg filter statistics from stderr: the `key:value` numbers of the last matching line. */
async function ffmpegStat(args: string[], pattern: RegExp): Promise<number> {
  const { stderr } = await run('ffmpeg', ['-hide_banner', '-nostats', ...args, '-f', 'null', '-']);
  const values = [...stderr.matchAll(pattern)].map((m) => Number(m[1]));
  expect(values.length).toBeGreaterThan(0);
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Average saturation (signalstats SATAVG, 0..~181) over the first frames. */
function saturation(path: string): Promise<number> {
  return ffmpegStat(['-i', path, '-frames:v', '15', '-vf', 'signalstats,metadata=print:key=lavfi.signalstats.SATAVG'], /SATAVG=([\d.]+)/g);
}

/** PSNR of the output against the source scaled to the same size (lower = further from the source). */
function psnrAgainstSource(out: string, source: string, width: number, height: number): Promise<number> {
  return ffmpegStat(
    ['-i', out, '-i', source, '-filter_complex', `[1:v]scale=${width}:${height}:flags=bicubic,setsar=1,format=yuv420p[ref];[0:v]format=yuv420p[o];[o][ref]psnr`],
    /average:([\d.]+)/g,
  );
}

describe('retake-local', () => {
  it('renders the black-and-white look at 540p with the requested length and audio', async () => {
    const { result, progress, workDir, out } = await render({ prompt: 'classic film noir', input_video: 'flower.mp4', duration: '5s' });
    const facts = await probe(out);
    expect(facts).toMatchObject({ width: 960, height: 540, codec: 'h264', pixFmt: 'yuv420p', audio: true, channels: 2, fps: '30000/1001' });
    expect(Math.abs(facts.duration - 5)).toBeLessThan(2 / 29.97 + 0.03);
    expect(await saturation(out)).toBeLessThan(2);
    expect(await saturation(fixture('flower.mp4'))).toBeGreaterThan(10);
    expect(result.interpretation).toMatchObject({ look: { style: 'noir' }, used_words: ['film noir'], ignored_words: ['classic'], edit_strength: 'flex_2' });
    expect(documented(result.interpretation), JSON.stringify(documented.errors)).toBe(true);
    expect(result.warnings).toEqual([]);
    // Progress rises to 1 with an ETA while rendering; only the final file is left.
    expect(progress.at(-1)?.progress).toBeCloseTo(1, 2);
    expect(progress.some((p) => p.stage === 'rendering' && p.eta_s !== undefined)).toBe(true);
    expect((await readdir(workDir)).sort()).toEqual(['output.mp4', 'source']);
  });

  // Guided mode first learns from the image and checks its alignment before it falls back.
  it('keeps a portrait clip portrait and puts the cover-fitted image at frame 0', async () => {
    const { out } = await render({ prompt: 'warm', input_video: 'portrait.mp4', input_image: 'london.jpg' });
    const facts = await probe(out);
    expect([facts.width, facts.height]).toEqual([540, 810]);
    expect(Math.abs(facts.duration - 1.089)).toBeLessThan(0.07);
    expect(facts.audio).toBe(true);
    const psnr = await ffmpegStat(
      ['-i', out, '-i', fixture('london.jpg'), '-filter_complex',
        '[1:v]scale=540:810:force_original_aspect_ratio=increase:flags=bicubic,crop=540:810,setsar=1,format=yuv420p[ref];[0:v]trim=end_frame=1,format=yuv420p[f];[f][ref]psnr'],
      /average:([\d.]+)/g,
    );
    expect(psnr).toBeGreaterThanOrEqual(30);
  }, scaled(120_000));

  it('keeps mono audio mono', async () => {
    expect((await probe(fixture('portrait.mp4'))).channels).toBe(1);
    const facts = await probe((await render({ prompt: 'warm', input_video: 'portrait.mp4' })).out);
    expect(facts.channels).toBe(1);
  });

  it('respects a rotation tag', async () => {
    const facts = await probe((await render({ input_video: 'gen:rotated.mp4' })).out);
    expect([facts.width, facts.height]).toEqual([810, 540]);
  });

  it('yields a short source at its own length and caps 60 fps at 30', async () => {
    const { result, out } = await render({ input_video: 'bbb_60fps.mp4', duration: '10s', resolution: '720p' });
    const facts = await probe(out);
    expect([facts.width, facts.height]).toEqual([1280, 720]);
    expect(facts.fps).toBe('30/1');
    expect(Math.abs(facts.frames - 61)).toBeLessThanOrEqual(2);
    expect(facts.audio).toBe(true);
    expect(result.warnings.join('\n')).toMatch(/shorter than 10s/);
  });

  it('renders a silent VP9 source without inventing audio', async () => {
    const facts = await probe((await render({ prompt: 'sepia', input_video: 'bbb_10s.webm' })).out);
    expect(facts).toMatchObject({ width: 960, height: 540, audio: false });
    expect(Math.abs(facts.duration - 5)).toBeLessThan(0.1);
  });

  it('moves further from the source as edit_strength grows', async () => {
    const distances: number[] = [];
    for (const edit_strength of ['adhere_1', 'flex_2', 'reimagine_3'] as const) {
      const { out } = await render({ prompt: 'sepia', input_video: 'portrait.mp4', edit_strength });
      distances.push(await psnrAgainstSource(out, fixture('portrait.mp4'), 540, 810));
    }
    expect(distances[0]).toBeGreaterThan((distances[1] ?? 0) + 1);
    expect(distances[1]).toBeGreaterThan((distances[2] ?? 0) + 1);
  });

  it.each([
    ['gen:notes.txt', 'input_not_media', {}],
    ['gen:truncated.mp4', 'input_corrupt', {}],
    ['gen:audio-only.m4a', 'input_no_video_stream', {}],
    ['london.jpg', 'input_no_video_stream', {}],
    ['flower.mp4', 'input_too_long', { maxDurationS: 3 }],
    ['flower.mp4', 'input_too_many_pixels', { maxPixels: 640 * 360 }],
  ] as const)('fails %s with %s', async (input, code, limits) => {
    const { job, workDir } = await makeJob({ input_video: input });
    const err = await createLocalEngine({ limits }).render(job).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetakeError);
    expect((err as RetakeError).code).toBe(code);
    expect(await readdir(workDir)).toEqual(['source']);
  });

  it('with input_image and auto_controls, applies the full learned look on every frame instead of a schedule', async () => {
    // A short clip with a cut in the middle, and its frame 0 in sepia as the keyframe.
    await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=160x90:d=0.5:r=30', '-f', 'lavfi', '-i', 'mandelbrot=s=160x90:r=30',
      '-filter_complex', '[1]trim=duration=0.5,setpts=PTS-STARTPTS[b];[0][b]concat=n=2,format=yuv420p', '-c:v', 'libx264', '-y', join(root, 'cut.mp4')]);
    await run('ffmpeg', ['-v', 'error', '-i', join(root, 'cut.mp4'), '-frames:v', '1', '-vf', `format=rgb24,${SEPIA}`, '-y', join(root, 'cut-sepia.png')]);
    const { result, out } = await render({ input_video: 'gen:cut.mp4', input_image: 'gen:cut-sepia.png', auto_controls: true, prompt: 'neon cyberpunk' });
    expect(result.interpretation).toMatchObject({ mode: 'guided', edit_strength: 'auto', guided: { strength: 1 } });
    expect(result.interpretation).not.toHaveProperty('schedule');
    expect(documented(result.interpretation), JSON.stringify(documented.errors)).toBe(true);
    // Sepia after the cut too: every pixel of the last frame has R ≥ G ≥ B (within coding noise).
    const { stdout } = await run('ffmpeg', ['-v', 'error', '-sseof', '-0.1', '-i', out, '-frames:v', '1', '-vf', 'scale=80:45', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { encoding: 'buffer' });
    let ordered = 0;
    for (let i = 0; i < stdout.length; i += 3) if (stdout[i]! + 6 >= stdout[i + 1]! && stdout[i + 1]! + 6 >= stdout[i + 2]!) ordered++;
    expect(ordered / (stdout.length / 3)).toBeGreaterThan(0.95);
  }, scaled(120_000));

  it('stops FFmpeg within a second of a cancel and leaves no process behind', async () => {
    const controller = new AbortController();
    const { job, workDir } = await makeJob({ prompt: 'cartoon', input_video: 'rabbit.mp4', resolution: '1080p' }, controller.signal);
    let abortedAt = 0;
    const rendering = new Promise<void>((resolve) => {
      job.onProgress = (p) => {
        if (p.stage === 'rendering' && p.progress > 0.06 && abortedAt === 0) resolve();
      };
    });
    const result = engine.render(job).catch((e: unknown) => e);
    await rendering;
    abortedAt = Date.now();
    controller.abort();
    const err = await result;
    expect(Date.now() - abortedAt).toBeLessThan(1000);
    expect((err as RetakeError).code).toBe('cancelled');
    const { stdout } = await run('ps', ['-eo', 'args']);
    expect(stdout).not.toContain(workDir);
    expect(await readdir(workDir)).toEqual(['source']);
  });
});
