/**
 * FFmpeg arguments of a guided render: the decoder turns the source into raw RGB
 * frames at the working size (the same resample, scale and HDR tone-mapping as a
 * normal render, so frame 0 here is the frame the mapping was learned on), and the
 * encoder takes the mapped frames back, scales them to the output size and encodes
 * exactly like render-plan.ts (codec, audio, HDR10 or EXR branches, trim).
 */
import { ffmpegInput } from '../../../media/index.ts';
import { hdr10EncoderArgs, sdrToAcesFilter, sdrToPqFilter } from '../hdr.ts';

export interface DecodeInput {
  sourcePath: string;
  fps: string;
  width: number;
  height: number;
  /** The HDR source's tone-mapping to SDR (hdr.ts); default none. */
  toSdr?: string | undefined;
  /** Seconds to decode. */
  duration: number;
  /** Only this many frames (1 for the keyframe); default all. */
  frames?: number | undefined;
  /**
   * Only the frames of these indexes (keyframes' source frames), each to its own file:
   * `output` is then an image2 pattern (`source-%d.rgb`, numbered from 1 in frame order).
   */
  select?: readonly number[] | undefined;
  /** Default `pipe:1`. */
  output?: string | undefined;
}

/** Source → raw rgb24 frames at `width`×`height`. */
export function decodeArgs(input: DecodeInput): string[] {
  const { width, height, fps } = input;
  const select = input.select ? `,select='${input.select.map((n) => `eq(n\\,${n})`).join('+')}'` : '';
  const graph = `[0:v]fps=${fps},scale=${width}:${height}:flags=bicubic,setsar=1,setpts=PTS-STARTPTS${input.toSdr ? `,${input.toSdr}` : ''},format=rgb24${select}[v]`;
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'error',
    ...ffmpegInput(input.sourcePath), '-filter_complex', graph, '-map', '[v]',
    ...(input.frames !== undefined ? ['-frames:v', String(input.frames)] : ['-t', input.duration.toFixed(3)]),
    ...(input.select ? ['-fps_mode', 'passthrough', '-f', 'image2', '-c:v', 'rawvideo'] : ['-f', 'rawvideo']),
    '-pix_fmt', 'rgb24', '-y', input.output ?? 'pipe:1',
  ];
}

/** The image cover-fitted to `width`×`height` as one raw rgb24 frame. */
export function imageArgs(imagePath: string, width: number, height: number, output: string): string[] {
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'error', ...ffmpegInput(imagePath),
    '-vf', `scale=${width}:${height}:force_original_aspect_ratio=increase:flags=bicubic,crop=${width}:${height},setsar=1,format=rgb24`,
    '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-y', output,
  ];
}

export interface EncodeInput {
  /** Size of the raw frames on stdin. */
  workWidth: number;
  workHeight: number;
  fps: string;
  /** Output size. */
  width: number;
  height: number;
  duration: number;
  /** The source, for its audio. */
  sourcePath: string;
  hasAudio: boolean;
  audioChannels: number;
  hdr: boolean;
  exrPattern?: string | undefined;
  exrFrames: number;
  outputPath: string;
}

/** Raw rgb24 frames on stdin (+ the source's audio) → the output MP4 (and EXR frames). */
export function encodeArgs(input: EncodeInput): string[] {
  const { width, height } = input;
  const resize = input.workWidth === width && input.workHeight === height ? '' : `scale=${width}:${height}:flags=bicubic,`;
  let graph = `[0:v]${resize}setsar=1,format=yuv420p[v]`;
  const exr = input.exrFrames > 0 && input.exrPattern !== undefined;
  if (exr) graph += `;[v]split[vh][vx];[vh]${sdrToPqFilter()}[vout];[vx]${sdrToAcesFilter()}[xout]`;
  else if (input.hdr) graph += `;[v]${sdrToPqFilter()}[vout]`;
  else graph += ';[v]null[vout]';
  const args = [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-progress', 'pipe:1', '-nostats',
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${input.workWidth}x${input.workHeight}`, '-framerate', input.fps, '-i', 'pipe:0',
    ...ffmpegInput(input.sourcePath),
    '-filter_complex', graph, '-map', '[vout]',
  ];
  if (input.hasAudio) {
    args.push('-map', '1:a:0', '-c:a', 'aac', '-b:a', '160k');
    if (input.audioChannels > 2) args.push('-ac', '2');
  }
  const videoCodec = input.hdr ? hdr10EncoderArgs() : ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p'];
  args.push(
    '-t', input.duration.toFixed(3), ...videoCodec,
    '-fps_mode', 'cfr', '-movflags', '+faststart', '-map_metadata', '-1',
    '-f', 'mp4', '-y', input.outputPath,
  );
  if (exr && input.exrPattern) {
    args.push(
      '-map', '[xout]', '-frames:v', String(input.exrFrames), '-fps_mode', 'cfr', '-map_metadata', '-1',
      '-c:v', 'exr', '-compression', 'zip1', '-format', 'half', '-start_number', '0', '-f', 'image2', '-y', input.exrPattern,
    );
  }
  return args;
}
