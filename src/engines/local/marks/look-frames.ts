/**
 * A few frames of a look rendered the way a render renders it, for the colour transfer of
 * a marked look (render-inputs.ts), tests and scripts: the look's filters before its marks
 * step in a decoder, the marks kernel in the marks
 * child, the rest of the look in a second FFmpeg, through 4:2:0 as an output would be
 * (no encode). A look of filters only is one FFmpeg run.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffmpegInput } from '../../../media/index.ts';
import { QUIET_FLAGS } from '../ffmpeg-process.ts';
import { runChain, type ChainStep } from '../guided/process-chain.ts';
import type { RgbFrame } from '../guided/metrics.ts';
import { lookGraph, lookMarks, type LookSpec } from '../look-filters.ts';
import { marksSize } from '../render-plan.ts';
import { lookIntensity } from '../strength.ts';
import { marksSteps } from './stage.ts';

export interface LookFramesInput {
  sourcePath: string;
  look: LookSpec;
  /** Intensity; default the default edit_strength's with the look's modifiers. */
  k?: number | undefined;
  /** Frame size (the output size the look is built for). */
  width: number;
  height: number;
  /** Seconds into the source of the first frame; default 0. */
  start?: number | undefined;
  /** How many consecutive frames; default 1. */
  frames?: number | undefined;
  /** Filters run on the scaled source before the look (a darker copy ...); default none. */
  prepare?: string | undefined;
  /** Frame rate the source is read at; default 30. */
  fps?: number | undefined;
  ffmpegPath?: string | undefined;
  signal?: AbortSignal | undefined;
  /** Where the frames' temp file goes (a job's work directory); default the OS's. */
  tempDir?: string | undefined;
}

/** The look's frames, RGB at `width`×`height`. */
export async function lookFrames(input: LookFramesInput): Promise<RgbFrame[]> {
  const { width, height, look } = input;
  const ffmpeg = input.ffmpegPath ?? 'ffmpeg';
  const k = input.k ?? lookIntensity(undefined, look.modifiers);
  const count = input.frames ?? 1;
  const fps = input.fps ?? 30;
  const ctx = { width, height };
  const marks = lookMarks(look, k, ctx);
  const dir = await mkdtemp(join(input.tempDir ?? tmpdir(), 'retake-look-frames-'));
  const out = join(dir, 'frames.rgb');
  const toRaw = ['format=yuv420p', 'format=rgb24'];
  const source = [...(input.start ? ['-ss', String(input.start)] : []), ...ffmpegInput(input.sourcePath)];
  const head = `[0:v]fps=${fps},scale=${width}:${height}:flags=bicubic,setsar=1,setpts=PTS-STARTPTS${input.prepare ? `,${input.prepare}` : ''}[pre]`;
  const rawOut = (file: string): string[] => ['-map', '[v]', '-frames:v', String(count), '-f', 'rawvideo', '-pix_fmt', 'rgb24', ...(file.startsWith('pipe:') ? [] : ['-y']), file];
  let steps: ChainStep[];
  if (!marks) {
    const graph = `${head};${lookGraph(look, k, ctx, { input: 'pre', output: 'looked', prefix: 'k' })};[looked]${toRaw.join(',')}[v]`;
    steps = [{ name: 'renderer', command: ffmpeg, args: [...QUIET_FLAGS, ...source, '-filter_complex', graph, ...rawOut(out)] }];
  } else {
    const { scaled, ...size } = marksSize(width, height, marks);
    const decoderGraph = `${head};${lookGraph(look, k, ctx, { input: 'pre', output: 'looked', prefix: 'k' }, 'before')};[looked]${scaled ? `scale=${size.width}:${size.height}:flags=area,` : ''}format=rgb24[v]`;
    const encoderGraph = `[0:v]${scaled ? `scale=${width}:${height}:flags=bicubic,` : ''}setsar=1[pre];${lookGraph(look, k, ctx, { input: 'pre', output: 'looked', prefix: 'a' }, 'after')};[looked]${toRaw.join(',')}[v]`;
    steps = [
      ...marksSteps({ kernel: marks.marks, ...size, schedule: [{ from: 0, params: [...marks.params] }], decoder: [...source, '-filter_complex', decoderGraph, ...rawOut('pipe:1')] }, ffmpeg),
      {
        name: 'encoder', command: ffmpeg,
        args: [...QUIET_FLAGS, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${size.width}x${size.height}`, '-framerate', String(fps), '-i', 'pipe:0', '-filter_complex', encoderGraph, ...rawOut(out)],
      },
    ];
  }
  try {
    await runChain(steps, { signal: input.signal, what: 'Look frames' });
    const data = await readFile(out);
    const size = width * height * 3;
    const frames: RgbFrame[] = [];
    for (let at = 0; at + size <= data.length; at += size) frames.push({ width, height, data: new Uint8Array(data.buffer, data.byteOffset + at, size) });
    return frames;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

