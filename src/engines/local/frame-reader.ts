/**
 * Small raw frames out of FFmpeg, for measuring rather than rendering: colour
 * statistics for the input_image transfer and frame differences for auto_controls.
 * Frames go through a temp file (removed afterwards) so the cancel handling of
 * `runProcess` applies unchanged. The engine keeps that file inside the job's work
 * directory: a server killed mid-read cannot remove it, but the job runner removes the
 * whole directory when the job runs again.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffmpegInput } from '../../media/index.ts';
import { ffmpegFailure, runProcess } from './ffmpeg-process.ts';

export interface ReadFramesOptions {
  /** The input file. */
  input: string;
  /** Read at most this many seconds from the start. Default: all. */
  seconds?: number | undefined;
  /**
   * A filtergraph reading `[0:v]` and writing `[v]`, run before the final downscale.
   * Default: none.
   */
  graph?: string | undefined;
  /** Size of the frames handed back. */
  width: number;
  height: number;
  /** `rgb24` (3 bytes a pixel) or `gray` (1). */
  pixFmt: 'rgb24' | 'gray';
  /** Default `ffmpeg` on PATH. */
  ffmpegPath?: string | undefined;
  signal?: AbortSignal | undefined;
  /**
   * Directory the temp file is made in (in a fresh `retake-frames-*` folder). Default:
   * the system temp dir, which nothing cleans after a crash; renders pass their work dir.
   */
  tempDir?: string | undefined;
}

export interface RawFrames {
  width: number;
  height: number;
  channels: 1 | 3;
  frames: Buffer[];
}

/** Decode `options.input` into small raw frames. Throws `render_failed` or `cancelled`. */
export async function readFrames(options: ReadFramesOptions): Promise<RawFrames> {
  const dir = await mkdtemp(join(options.tempDir ?? tmpdir(), 'retake-frames-'));
  const out = join(dir, 'frames.raw');
  const { width, height, pixFmt } = options;
  const channels = pixFmt === 'rgb24' ? 3 : 1;
  const head = options.graph ? `${options.graph};[v]` : '[0:v]';
  const args = [
    '-hide_banner', '-nostdin', '-loglevel', 'error',
    ...(options.seconds !== undefined ? ['-t', options.seconds.toFixed(3)] : []),
    ...ffmpegInput(options.input),
    '-filter_complex', `${head}scale=${width}:${height}:flags=area,format=${pixFmt}[raw]`,
    '-map', '[raw]', '-f', 'rawvideo', '-y', out,
  ];
  try {
    const result = await runProcess(options.ffmpegPath ?? 'ffmpeg', args, { signal: options.signal });
    if (result.code !== 0) throw ffmpegFailure(result.stderrTail, 'FFmpeg failed while analysing');
    const data = await readFile(out);
    const size = width * height * channels;
    const frames: Buffer[] = [];
    for (let at = 0; at + size <= data.length; at += size) frames.push(data.subarray(at, at + size));
    return { width, height, channels, frames };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
