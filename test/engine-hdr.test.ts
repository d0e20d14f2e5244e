/**
 * retake-local HDR and EXR, read back with independent tools: ffprobe for the HDR10
 * stream (HEVC Main 10, BT.2020/PQ, mastering display and light level, hvc1), the PQ
 * level of SDR white (203 cd/m² ≈ 58 %), PQ and HLG sources tone-mapped for SDR
 * output without washing out, and the EXR sidecar checked with OpenEXR's `exrheader`
 * and `unzip`; guided mode (input_image) keeping its learned look in HDR10 output and
 * from an HDR source. Sources are half-second clips made here with FFmpeg.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalEngine } from '../src/engines/local/index.ts';
import { BT709_TO_AP0 } from '../src/engines/local/colour-space.ts';
import { chromaticitiesAttribute, setExrAttributes } from '../src/engines/local/exr-header.ts';
import { sdrToAcesFilter, sdrToPqFilter, EXR_GAMUT } from '../src/engines/local/hdr.ts';
import type { EngineJob, EngineResult } from '../src/engines/types.ts';
import type { VideoRequest } from '../src/models/request.ts';
import { EFFECTS } from './support/guided-fixtures.ts';
import { scaled } from './support/deadline.ts';

const run = promisify(execFile);
const engine = createLocalEngine();
let root: string;
const clip = (name: string): string => join(root, name);

/** PQ signal (0..1) of an absolute luminance, SMPTE ST 2084. */
function pqOf(nits: number): number {
  const [m1, m2, c1, c2, c3] = [0.1593017578125, 78.84375, 0.8359375, 18.8515625, 18.6875];
  const y = Math.pow(nits / 10000, m1);
  return Math.pow((c1 + c2 * y) / (1 + c3 * y), m2);
}

const ffmpeg = (args: string[]) => run('ffmpeg', ['-v', 'error', '-y', ...args]);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'retake-hdr-'));
  // Left half white (for the 203 cd/m² check), right half colour bars with motion.
  await ffmpeg(['-f', 'lavfi', '-i', 'color=white:s=160x90:d=0.5:r=30', '-f', 'lavfi', '-i', 'testsrc2=s=80x90:d=0.5:r=30',
    '-filter_complex', '[0][1]overlay=x=80,format=yuv420p', '-c:v', 'libx264', '-crf', '10', clip('sdr.mp4')]);
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=s=160x90:d=0.5:r=30', '-vf', 'format=yuv420p', '-c:v', 'libx264', '-crf', '10', clip('bars.mp4')]);
  // The same bars as HDR10 (PQ) and HLG, SDR white placed as BT.2408 says, encoded at
  // the bars' own quality so the comparison measures the tone-mapping, not x265.
  for (const [name, transfer] of [['pq.mp4', 'smpte2084'], ['hlg.mp4', 'arib-std-b67']] as const) {
    await ffmpeg(['-i', clip('bars.mp4'), '-vf', `zscale=tin=bt709:min=bt709:pin=bt709:rin=tv:t=${transfer}:m=bt2020nc:p=bt2020:r=tv:npl=203,format=yuv420p10le`,
      '-c:v', 'libx265', '-crf', '10', '-x265-params', 'log-level=error', '-color_primaries', 'bt2020', '-color_trc', transfer, '-colorspace', 'bt2020nc', clip(name)]);
  }
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function render(request: Partial<VideoRequest>): Promise<{ result: EngineResult; workDir: string }> {
  const workDir = await mkdtemp(join(root, 'job-'));
  const job: EngineJob = {
    generationId: 'gen_hdr',
    request: { prompt: 'natural colours', input_video: 'sdr.mp4', resolution: '720p', duration: '5s', hdr: false, exr_export: false, ...request },
    workDir,
    signal: new AbortController().signal,
    onProgress: () => undefined,
    async fetchInput(name, dest) {
      await copyFile(clip(name), join(workDir, dest));
      return join(workDir, dest);
    },
  };
  return { result: await engine.render(job), workDir };
}

/** Mean of a signalstats key over the frames of `path` after `filter`. */
async function stat(path: string, filter: string, key: string): Promise<number> {
  const { stderr } = await run('ffmpeg', ['-hide_banner', '-nostats', '-i', path, '-vf', `${filter},signalstats,metadata=print:key=lavfi.signalstats.${key}`, '-f', 'null', '-']);
  const values = [...stderr.matchAll(new RegExp(`${key}=([\\d.]+)`, 'g'))].map((m) => Number(m[1]));
  expect(values.length).toBeGreaterThan(0);
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * How colourful `path` looks, independent of how bright it is: the mean HSV
 * saturation, (max - min) / max of R'G'B', over pixels that are not near black.
 * Dimming a colour keeps it (R'G'B' scale together); washing it out towards grey
 * lowers it, which is what a viewer calls faded.
 */
async function colourfulness(path: string, filter = 'null'): Promise<number> {
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-i', path, '-vf', `${filter},scale=160:90`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { encoding: 'buffer', maxBuffer: 64 << 20 });
  let sum = 0;
  let count = 0;
  for (let i = 0; i + 2 < stdout.length; i += 3) {
    const [r, g, b] = [stdout[i]!, stdout[i + 1]!, stdout[i + 2]!];
    const max = Math.max(r, g, b);
    if (max < 32) continue;
    sum += (max - Math.min(r, g, b)) / max;
    count += 1;
  }
  expect(count).toBeGreaterThan(0);
  return sum / count;
}

/** Linear float RGB of pixel (x, y) of an EXR file, through FFmpeg's EXR decoder. */
async function exrPixel(path: string, x: number, y: number, width: number, height: number): Promise<[number, number, number]> {
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-i', path, '-f', 'rawvideo', '-pix_fmt', 'gbrpf32le', '-'], { encoding: 'buffer' });
  const plane = width * height * 4;
  const at = (p: number): number => stdout.readFloatLE(p * plane + (y * width + x) * 4);
  return [at(2), at(0), at(1)];
}

describe('HDR10 output', () => {
  let result: EngineResult;
  let workDir: string;

  beforeAll(async () => {
    ({ result, workDir } = await render({ hdr: true, exr_export: true }));
  }, scaled(60_000));

  it('is HEVC Main 10 in BT.2020/PQ with HDR10 metadata and the hvc1 tag', async () => {
    const video = result.outputs[0]!;
    expect(video).toMatchObject({ kind: 'video', contentType: 'video/mp4' });
    const { stdout } = await run('ffprobe', ['-v', 'error', '-select_streams', 'v', '-show_streams', '-show_frames', '-read_intervals', '%+#1', '-of', 'json', video.path]);
    const probe = JSON.parse(stdout) as { streams: Record<string, unknown>[]; frames: { side_data_list?: Record<string, unknown>[] }[] };
    expect(probe.streams[0]).toMatchObject({
      codec_name: 'hevc', profile: 'Main 10', pix_fmt: 'yuv420p10le', codec_tag_string: 'hvc1', width: 1280, height: 720,
      color_primaries: 'bt2020', color_transfer: 'smpte2084', color_space: 'bt2020nc', color_range: 'tv',
    });
    const sides = probe.frames[0]?.side_data_list ?? [];
    expect(sides).toContainEqual(expect.objectContaining({ side_data_type: 'Mastering display metadata', max_luminance: '10000000/10000' }));
    expect(sides).toContainEqual(expect.objectContaining({ side_data_type: 'Content light level metadata', max_content: 203 }));
    expect(result.warnings.join('\n')).not.toMatch(/HDR|EXR/);
    expect(result.interpretation).toMatchObject({ dynamic_range: { source: 'sdr', output: 'hdr10', sdr_white_nits: 203 } });
  });

  it('puts SDR white at 203 cd/m² (PQ ≈ 58 %)', async () => {
    const white = await stat(result.outputs[0]!.path, 'crop=400:560:80:80', 'YAVG');
    // 10-bit limited range: 64 is black, 940 full scale.
    const pq = (white - 64) / 876;
    expect(pq).toBeGreaterThan(pqOf(203) - 0.03);
    expect(pq).toBeLessThan(pqOf(203) + 0.005);
    // The filter on its own places 8-bit white exactly.
    const exact = await stat(clip('sdr.mp4'), `crop=60:80:5:5,${sdrToPqFilter()}`, 'YAVG');
    expect((exact - 64) / 876).toBeCloseTo(pqOf(203), 2);
  });

  it('writes an EXR sidecar: a zip of half-float ACES2065-1 frames, one per output frame', async () => {
    const exr = result.outputs[1]!;
    expect(exr).toMatchObject({ kind: 'exr', contentType: 'application/zip' });
    const { stdout: listing } = await run('unzip', ['-Z1', exr.path]);
    const names = listing.trim().split('\n');
    const { stdout: frames } = await run('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', result.outputs[0]!.path]);
    expect(names.length).toBe(Number(frames.trim()));
    expect(names[0]).toBe('frame_00000.exr');
    expect(result.interpretation).toMatchObject({ exr: { frames: names.length } });
    await run('unzip', ['-q', exr.path, names[0]!, '-d', join(root, 'unzipped')]);
    const { stdout: header } = await run('exrheader', [join(root, 'unzipped', names[0]!)]);
    for (const channel of ['R', 'G', 'B']) expect(header).toMatch(new RegExp(`${channel}, 16-bit floating-point`));
    expect(header).toMatch(/chromaticities \(type chromaticities\):\s+red\s+\(0\.7347 0\.2653\)\s+green\s+\(0 1\)\s+blue\s+\(0\.0001 -0\.077\)\s+white\s+\(0\.32168 0\.33767\)/);
    expect(header).toMatch(/dataWindow \(type box2i\): \(0 0\) - \(1279 719\)/);
    // Only the MP4 and the zip are left in the work directory.
    expect((await readdir(workDir)).sort()).toEqual(['output-exr.zip', 'output.mp4', 'source']);
  });
});

describe('EXR colour', () => {
  it('stores BT.709 red, white and grey as scene-linear AP0 values', async () => {
    const out = clip('stripes.exr');
    // Exact BT.709 limited-range stripes: red, white, 50 % grey.
    await ffmpeg(['-f', 'lavfi', '-i', 'color=red:s=32x8,format=gbrp[r];color=white:s=32x8,format=gbrp[w];color=0x808080:s=32x8,format=gbrp[g];[r][w][g]vstack=3',
      '-vf', `zscale=min=gbr:rin=full:pin=bt709:tin=bt709:m=bt709:r=tv:p=bt709:t=bt709,format=yuv444p,${sdrToAcesFilter()}`,
      '-frames:v', '1', '-c:v', 'exr', '-compression', 'zip1', '-format', 'half', out]);
    await writeFile(out, setExrAttributes(await readFile(out), [chromaticitiesAttribute(EXR_GAMUT)]));
    const red = await exrPixel(out, 16, 4, 32, 24);
    red.forEach((v, i) => expect(v).toBeCloseTo(BT709_TO_AP0[i]![0], 2));
    (await exrPixel(out, 16, 12, 32, 24)).forEach((v) => expect(v).toBeCloseTo(1, 2));
    // BT.1886 display light of code 128: about 0.2, near ACES mid grey (0.18).
    (await exrPixel(out, 16, 20, 32, 24)).forEach((v) => expect(v).toBeCloseTo(0.2, 1));
  });
});

describe('HDR sources', () => {
  let sdrLuma: number;
  let sdrColour: number;

  beforeAll(async () => {
    const { result } = await render({ input_video: 'bars.mp4', resolution: '540p' });
    sdrLuma = await stat(result.outputs[0]!.path, 'null', 'YAVG');
    sdrColour = await colourfulness(result.outputs[0]!.path);
  }, scaled(30_000));

  it.each([['pq.mp4', 'pq'], ['hlg.mp4', 'hlg']] as const)('reads %s as %s and tone-maps it for SDR output', async (input, range) => {
    const { result } = await render({ input_video: input, resolution: '540p' });
    const out = result.outputs[0]!.path;
    expect(result.interpretation).toMatchObject({ dynamic_range: { source: range, output: 'sdr' } });
    expect(result.warnings.join('\n')).toMatch(/tone-mapped to SDR/);
    // Close to the SDR original; read as if it were SDR it would be grey and faded.
    expect(Math.abs((await stat(out, 'null', 'YAVG')) - sdrLuma)).toBeLessThan(12);
    // As colourful as the SDR render (measured 0.97 of it), where the same file read
    // as if it were SDR looks grey and faded (0.45 for PQ, 0.6 for HLG).
    expect(await colourfulness(out)).toBeGreaterThan(sdrColour * 0.85);
    expect(await colourfulness(clip(input), 'scale=960:540,format=yuv420p')).toBeLessThan(sdrColour * 0.7);
  }, scaled(30_000));
});

describe('Guided mode (input_image) with HDR', () => {
  const SEPIA = EFFECTS.sepia;
  /** Mean absolute difference of two clips' signals, frame by frame at 160×90, 0..255. */
  async function difference(a: string, b: string): Promise<number> {
    const frames = async (path: string): Promise<Buffer> => (await run('ffmpeg', ['-v', 'error', '-i', path, '-vf', 'scale=160:90', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { encoding: 'buffer', maxBuffer: 64 << 20 })).stdout;
    const [x, y] = await Promise.all([frames(a), frames(b)]);
    expect(x.length).toBe(y.length);
    let sum = 0;
    for (let i = 0; i < x.length; i++) sum += Math.abs(x[i]! - y[i]!);
    return sum / x.length;
  }

  beforeAll(async () => {
    // The user's restyle of frame 0, as an SDR picture (what their image tool shows),
    // and the same effect on every frame: what the whole clip should look like.
    await ffmpeg(['-i', clip('bars.mp4'), '-frames:v', '1', '-vf', `format=rgb24,${SEPIA}`, clip('bars-sepia.png')]);
    await ffmpeg(['-i', clip('bars.mp4'), '-vf', `format=rgb24,${SEPIA},format=yuv420p`, '-c:v', 'libx264', '-crf', '10', clip('bars-sepia.mp4')]);
  });

  it('carries the learned look into an HDR10 output and its EXR frames', async () => {
    const [plain, truth] = [await render({ hdr: true, input_video: 'bars.mp4' }), await render({ hdr: true, input_video: 'bars-sepia.mp4' })];
    const { result } = await render({ hdr: true, exr_export: true, input_video: 'bars.mp4', input_image: 'bars-sepia.png' });
    expect(result.interpretation).toMatchObject({ mode: 'guided', dynamic_range: { output: 'hdr10' } });
    const video = result.outputs[0]!.path;
    const { stdout } = await run('ffprobe', ['-v', 'error', '-select_streams', 'v', '-show_entries', 'stream=codec_name,profile,color_transfer', '-of', 'json', video]);
    expect(JSON.parse(stdout)).toMatchObject({ streams: [{ codec_name: 'hevc', profile: 'Main 10', color_transfer: 'smpte2084' }] });
    // In HDR10 too, the result is close to the sepia clip rendered as HDR10 and far from
    // the plain render (measured 4.7 against 22.4 of 255 in the PQ signal).
    const [toTruth, plainToTruth] = [await difference(video, truth.result.outputs[0]!.path), await difference(plain.result.outputs[0]!.path, truth.result.outputs[0]!.path)];
    expect(toTruth).toBeLessThan(plainToTruth * 0.35);
    const { stdout: listing } = await run('unzip', ['-Z1', result.outputs[1]!.path]);
    const { stdout: frames } = await run('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', video]);
    expect(listing.trim().split('\n').length).toBe(Number(frames.trim()));
  }, scaled(180_000));

  it('learns from an HDR source as its SDR rendering and keeps the look', async () => {
    const [plain, truth] = [await render({ input_video: 'pq.mp4', resolution: '540p' }), await render({ input_video: 'bars-sepia.mp4', resolution: '540p' })];
    const { result } = await render({ input_video: 'pq.mp4', resolution: '540p', input_image: 'bars-sepia.png' });
    expect(result.interpretation).toMatchObject({ mode: 'guided', dynamic_range: { source: 'pq', output: 'sdr' }, guided: { alignment: { aligned: true } } });
    // Measured 6.8 against 78.5 of 255.
    const [toTruth, plainToTruth] = [await difference(result.outputs[0]!.path, truth.result.outputs[0]!.path), await difference(plain.result.outputs[0]!.path, truth.result.outputs[0]!.path)];
    expect(toTruth).toBeLessThan(plainToTruth * 0.2);
  }, scaled(180_000));
});
