/**
 * The guided-mode measurement of issue 8, shared by its test and the engine bench:
 * restyle a clip's frame 0 with a known per-frame FFmpeg effect (at the clip's own
 * size), and take the same effect on the frames at 1, 2, 3 and 4 s as the ground truth.
 * Frames are compared at 480 px width with SSIM-Y and blurred ΔE (guided/metrics.ts).
 * Source frames are decoded with the renderer's own decoder arguments.
 */
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { channelStats, transferMaps } from '../../src/engines/local/colour-transfer.ts';
import { learnFromKeyframe } from '../../src/engines/local/guided/learn.ts';
import { compareFrames, type RgbFrame } from '../../src/engines/local/guided/metrics.ts';
import { applyGuidedModel } from '../../src/engines/local/guided/model.ts';
import { learnLook } from '../../src/engines/local/guided/marks/learn-look.ts';
import { applyMarks } from '../../src/engines/local/guided/marks/marks.ts';
import { textureError } from '../../src/engines/local/guided/marks/texture-error.ts';
import { decodeArgs, imageArgs } from '../../src/engines/local/guided/render-args.ts';
import { magickFrame, type MagickEffect } from './guided-broad-set.ts';

const run = promisify(execFile);

/** Effects measured in CI: grades, tone, lines, relief, paint. */
export const EFFECTS = {
  sepia: 'colorchannelmixer=.393:.769:.189:0:.349:.686:.168:0:.272:.534:.131',
  teal_orange: "curves=r='0/0 0.4/0.45 1/1':g='0/0.06 0.5/0.5 1/0.92':b='0/0.2 0.45/0.42 1/0.7',eq=saturation=1.3",
  posterise: "lutrgb=r='floor(val/64)*85':g='floor(val/64)*85':b='floor(val/64)*85'",
  drawing: 'format=gray,edgedetect=low=0.08:high=0.2,negate,format=rgb24',
  relief: "format=gray,convolution=0m='-1 -1 0 -1 0 1 0 1 1':0bias=128:0rdiv=1,format=rgb24",
  painterly: "median=radius=3,lutrgb=r='floor(val/40)*40+20':g='floor(val/40)*40+20':b='floor(val/40)*40+20'",
} as const;

/** Effects kept out of tuning, for the final check only: part of the held-out set (guided-sets.ts). */
export const FINAL_CHECK_EFFECTS = {
  hue_swap: 'hue=h=120:s=1.2',
  threshold: "format=gray,lutyuv=y='if(gt(val,110),235,16)',format=rgb24",
  cartoon: "split[a][b];[a]bilateral=sigmaS=6:sigmaR=0.15,lutrgb=r='floor(val/48)*48+24':g='floor(val/48)*48+24':b='floor(val/48)*48+24'[q];" +
    '[b]format=gray,edgedetect=low=0.1:high=0.25,negate,format=rgb24[e];[q][e]blend=all_mode=multiply',
  blur: 'gblur=sigma=3',
} as const;

/** Clips of at least 4 s: name, native size, frame rate the renderer uses. */
export const CLIPS = {
  'flower.mp4': { width: 960, height: 540, fps: '30000/1001' },
  'rabbit.mp4': { width: 720, height: 480, fps: '30/1' },
  'bbb_10s.webm': { width: 320, height: 180, fps: '30/1' },
} as const;

export const TIMES = [1, 2, 3, 4] as const;
export const MEASURE_WIDTH = 480;

const fpsValue = (fps: string): number => {
  const [n, d] = fps.split('/').map(Number);
  return (n ?? 30) / (d ?? 1);
};

/** Frame indexes of `times` at `fps`. */
export const frameIndexes = (fps: string, times: readonly number[]): number[] => times.map((t) => Math.round(t * fpsValue(fps)));

/** Raw rgb24 frames out of an FFmpeg run on stdout, keeping only the given indexes. */
async function collectFrames(args: string[], width: number, height: number, keep: readonly number[]): Promise<Map<number, RgbFrame>> {
  const size = width * height * 3;
  const last = Math.max(...keep);
  const frames = new Map<number, RgbFrame>();
  const child = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let pending = Buffer.alloc(0);
  let index = 0;
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= size) {
      if (keep.includes(index)) frames.set(index, { width, height, data: new Uint8Array(pending.subarray(0, size)) });
      pending = pending.subarray(size);
      index++;
    }
    if (index > last) {
      child.kill('SIGKILL');
      break;
    }
  }
  await new Promise((done) => (child.exitCode !== null || child.signalCode !== null ? done(undefined) : child.once('close', done)));
  if (frames.size < keep.length) throw new Error(`ffmpeg gave ${frames.size} of ${keep.length} frames: ${stderr.slice(-300)}`);
  return frames;
}

/** Source frames at `indexes` (of the first `seconds`), decoded exactly as the guided renderer decodes them. */
export function sourceFrames(path: string, fps: string, width: number, height: number, indexes: readonly number[], seconds = 10): Promise<Map<number, RgbFrame>> {
  return collectFrames(decodeArgs({ sourcePath: path, fps, width, height, duration: seconds }), width, height, indexes);
}

/** A per-frame effect: an FFmpeg filter chain, or ImageMagick arguments. */
export type Effect = string | MagickEffect;

/** `effect` applied at the clip's own size to its frames at `indexes`. */
export async function effectFrames(path: string, fps: string, native: { width: number; height: number }, effect: Effect, indexes: readonly number[]): Promise<Map<number, RgbFrame>> {
  const graph = `[0:v]fps=${fps},format=rgb24${typeof effect === 'string' ? `,${effect},format=rgb24` : ''}[v]`;
  const frames = await collectFrames(['-v', 'error', '-i', path, '-filter_complex', graph, '-map', '[v]', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], native.width, native.height, indexes);
  if (typeof effect === 'string') return frames;
  const styled = new Map<number, RgbFrame>();
  for (const [index, frame] of frames) styled.set(index, await magickFrame(frame, effect));
  return styled;
}

/** Write `frame` as a PNG (the restyled keyframe a user would upload). */
export async function writePng(frame: RgbFrame, path: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn('ffmpeg', ['-v', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${frame.width}x${frame.height}`, '-i', 'pipe:0', '-frames:v', '1', '-y', path]);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg png ${code}`))));
    child.stdin.end(Buffer.from(frame.data));
  });
}

/** The image cover-fitted to the working size, as the renderer reads it. */
export async function coverFit(imagePath: string, width: number, height: number, rawPath: string): Promise<RgbFrame> {
  await run('ffmpeg', imageArgs(imagePath, width, height, rawPath));
  const { readFile } = await import('node:fs/promises');
  return { width, height, data: new Uint8Array(await readFile(rawPath)) };
}

/**
 * `frame` resampled to MEASURE_WIDTH, the same way for outputs and ground truths: each
 * target pixel averages the source area it covers (bilinear when enlarging).
 */
export function toMeasureSize(frame: RgbFrame): RgbFrame {
  const width = MEASURE_WIDTH;
  const height = Math.round((MEASURE_WIDTH * frame.height) / frame.width / 2) * 2;
  const data = new Uint8Array(width * height * 3);
  const sx = frame.width / width, sy = frame.height / height;
  const at = (x: number, y: number, c: number): number =>
    frame.data[(Math.min(frame.height - 1, Math.max(0, y)) * frame.width + Math.min(frame.width - 1, Math.max(0, x))) * 3 + c]!;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        let v: number;
        if (sx <= 1) {
          const fx = (x + 0.5) * sx - 0.5, fy = (y + 0.5) * sy - 0.5;
          const x0 = Math.floor(fx), y0 = Math.floor(fy), dx = fx - x0, dy = fy - y0;
          v = (at(x0, y0, c) * (1 - dx) + at(x0 + 1, y0, c) * dx) * (1 - dy) + (at(x0, y0 + 1, c) * (1 - dx) + at(x0 + 1, y0 + 1, c) * dx) * dy;
        } else {
          let sum = 0, n = 0;
          for (let yy = Math.floor(y * sy); yy < Math.ceil((y + 1) * sy); yy++) for (let xx = Math.floor(x * sx); xx < Math.ceil((x + 1) * sx); xx++) { sum += at(xx, yy, c); n++; }
          v = sum / n;
        }
        data[(y * width + x) * 3 + c] = Math.round(v);
      }
    }
  }
  return { width, height, data };
}

/** Mean SSIM-Y and ΔE of `outputs` against `truths` (pairs), both at MEASURE_WIDTH. */
export function measurePairs(outputs: readonly RgbFrame[], truths: readonly RgbFrame[]): Required<Figures> {
  return measureAgainst(outputs, truths.map(toMeasureSize));
}

/** measurePairs() with the truths already at MEASURE_WIDTH. */
function measureAgainst(outputs: readonly RgbFrame[], measuredTruths: readonly RgbFrame[]): Required<Figures> {
  let ssim = 0, deltaE = 0, te = 0;
  for (let i = 0; i < outputs.length; i++) {
    const output = toMeasureSize(outputs[i]!);
    const m = compareFrames(output, measuredTruths[i]!);
    ssim += m.ssim / outputs.length;
    deltaE += m.deltaE / outputs.length;
    te += textureError(output, measuredTruths[i]!) / outputs.length;
  }
  return { ssim, deltaE, te };
}

/** SSIM-Y and ΔE of one way of rendering the later frames. */
export interface Figures {
  ssim: number;
  deltaE: number;
  /** The texture figure of the marks (guided/marks/texture-error.ts). */
  te?: number;
}

export interface PairResult {
  untouched: Figures;
  global: Figures;
  guided: Figures;
  /** The learned mapping on frame 0 itself, and the alignment score of the image. */
  keyframe: Figures;
  alignment: number;
  aligned: boolean;
  /** CPU-bound time of learning, and of mapping one frame (mean over the later frames), in ms. */
  learnMs: number;
  applyMs: number;
}

/** Today's global colour transfer: each channel's mean and spread moved onto the image's. */
export function globalTransfer(frame0: RgbFrame, image: RgbFrame): (frame: RgbFrame) => RgbFrame {
  const maps = transferMaps(channelStats([Buffer.from(frame0.data)], 3), channelStats([Buffer.from(image.data)], 3));
  return (frame) => {
    const data = new Uint8Array(frame.data.length);
    for (let i = 0; i < data.length; i++) {
      const [gain, offset] = maps[i % 3]!;
      data[i] = Math.max(0, Math.min(255, Math.round(frame.data[i]! * gain + offset)));
    }
    return { ...frame, data };
  };
}

/**
 * The restyle of one clip × effect pair: the effect on the frames at `indexes` at the
 * clip's own size (the ground truth), and its frame 0 as a user would upload it, a PNG
 * cover-fitted to the working size as the renderer reads it.
 */
export async function restylePair(options: {
  clipPath: string;
  native: { width: number; height: number; fps: string };
  effect: Effect;
  indexes: readonly number[];
  work: { width: number; height: number };
  /** A scratch directory and a name unique in it. */
  dir: string;
  name: string;
}): Promise<{ truth: Map<number, RgbFrame>; image: RgbFrame }> {
  const { native, work } = options;
  const truth = await effectFrames(options.clipPath, native.fps, native, options.effect, options.indexes);
  const png = join(options.dir, `${options.name}.png`);
  await writePng(truth.get(0)!, png);
  const image = await coverFit(png, work.width, work.height, join(options.dir, `${options.name}.rgb`));
  return { truth, image };
}

/**
 * Learn from the image, map the later frames (every index of `source` but 0) and
 * measure them against `truth`, next to both baselines.
 */
export function scorePair(source: Map<number, RgbFrame>, truth: Map<number, RgbFrame>, image: RgbFrame, options: { baselines?: boolean; marks?: boolean } = {}): PairResult {
  const indexes = [...source.keys()].sort((a, b) => a - b);
  const frame0 = source.get(0)!;
  let started = performance.now();
  // The canvas and picture marks (guided/marks/), as the renderer adds them; `marks: false` measures the mapping alone.
  const learned = options.marks !== false ? learnLook(frame0, learnFromKeyframe(frame0, image)) : { ...learnFromKeyframe(frame0, image), marks: undefined, parts: undefined };
  const { report, model, marks } = learned;
  const learnMs = performance.now() - started;
  const later = indexes.slice(1);
  const truths = later.map((i) => toMeasureSize(truth.get(i)!));
  const transfer = globalTransfer(frame0, image);
  // The baselines do not depend on the method; a tuning run can leave them out.
  const skipped = { ssim: Number.NaN, deltaE: Number.NaN, te: Number.NaN };
  const untouched = options.baselines === false ? skipped : measureAgainst(later.map((i) => source.get(i)!), truths);
  const global = options.baselines === false ? skipped : measureAgainst(later.map((i) => transfer(source.get(i)!)), truths);
  started = performance.now();
  const map = (frame: RgbFrame): Uint8Array => {
    const data = applyGuidedModel(model!, frame);
    return marks ? applyMarks(marks, frame, data) : data;
  };
  const mapped = later.map((i) => (model ? { ...frame0, data: map(source.get(i)!) } : transfer(source.get(i)!)));
  const applyMs = (performance.now() - started) / later.length;
  const guided = measureAgainst(mapped, truths);
  return {
    untouched, global, guided, learnMs, applyMs,
    keyframe: { ssim: report.keyframe.ssim, deltaE: report.keyframe.delta_e, te: learned.parts?.picture_marks.te_before ?? Number.NaN },
    alignment: report.alignment.score, aligned: report.aligned,
  };
}
