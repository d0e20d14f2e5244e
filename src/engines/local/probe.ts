/**
 * ffprobe → typed facts about an input, and the bad-media errors. One ffprobe run
 * reads every packet (`-count_packets`), so truncation is caught here, before a render
 * starts, rather than as a vague FFmpeg failure halfway through.
 */
import { open } from 'node:fs/promises';
import { RetakeError } from '../../errors/index.ts';
import { CONTAINER_REFUSED_DETAIL, ffmpegInput, isContainerRefusal } from '../../media/index.ts';
import { runProcess } from './ffmpeg-process.ts';

export interface MediaFacts {
  /** Displayed size: rotation and non-square pixels applied. */
  width: number;
  height: number;
  /** Clockwise rotation the player applies (0, 90, 180, 270). */
  rotation: number;
  /**
   * Frame rate; undefined for a still image. The average rate, or for a variable-rate
   * source its nominal (base) rate, so the output keeps the rate it was shot at.
   */
  fps: number | undefined;
  /** The frame rate as FFmpeg's rational string (`30000/1001`), when known. */
  fpsRational: string | undefined;
  /** Frames are not evenly spaced (phones, screen recordings). Default false. */
  variableFrameRate?: boolean | undefined;
  /** Seconds; 0 for a still image. */
  duration: number;
  /** Frames of the video stream as read (packets counted), when known; undefined for a still. */
  frames?: number | undefined;
  hasAudio: boolean;
  /** Channels of the first audio stream (0 without audio). */
  audioChannels: number;
  pixFmt: string;
  codec: string;
  /** A single picture (JPEG, PNG ...), not a moving video. */
  isStill: boolean;
  /** The stream's colour transfer (`smpte2084`, `arib-std-b67`, ...), when tagged. */
  colorTransfer: string | undefined;
  /** Colour primaries (`bt709`, `bt2020` ...), when tagged. */
  colorPrimaries?: string | undefined;
  /** YUV matrix (`bt709`, `bt2020nc` ...), when tagged. */
  colorMatrix?: string | undefined;
  /** `tv` (limited) or `pc` (full), when tagged. */
  colorRange?: string | undefined;
  /** Brightest pixel of an HDR source in cd/m² (MaxCLL, else the mastering display's peak). */
  peakNits?: number | undefined;
}

export interface ProbeLimits {
  /** Longest accepted input, seconds; default 600 (10 minutes). */
  maxDurationS?: number | undefined;
  /** Most pixels per frame; default 8192×4320. */
  maxPixels?: number | undefined;
}

export interface ProbeOptions extends ProbeLimits {
  /** Default `ffprobe` on PATH. */
  ffprobePath?: string | undefined;
  signal?: AbortSignal | undefined;
}

export const DEFAULT_MAX_DURATION_S = 600;
export const DEFAULT_MAX_PIXELS = 8192 * 4320;

interface RawStream {
  codec_type?: string;
  codec_name?: string;
  channels?: number;
  width?: number;
  height?: number;
  pix_fmt?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  sample_aspect_ratio?: string;
  duration?: string;
  nb_frames?: string;
  nb_read_packets?: string;
  color_transfer?: string;
  color_primaries?: string;
  color_space?: string;
  color_range?: string;
  disposition?: { attached_pic?: number };
  tags?: { rotate?: string };
  side_data_list?: { rotation?: number; max_content?: number; max_luminance?: string }[];
}
interface RawProbe {
  streams?: RawStream[];
  format?: { format_name?: string; duration?: string };
}

const TRUNCATION = /partial file|ended prematurely|truncat|moov atom not found|Invalid NAL unit|error reading header|corrupt/i;
const STILL_FORMATS = /^image2$|_pipe$/;

function ratio(value: string | undefined): number | undefined {
  const match = /^(\d+)\/(\d+)$/.exec(value ?? '');
  if (!match) return undefined;
  const n = Number(match[1]);
  const d = Number(match[2]);
  return d > 0 && n > 0 ? n / d : undefined;
}

/** Whether the first bytes look like a container we know (so a probe failure means damage). */
async function looksLikeMedia(path: string): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(16), 0, 16, 0);
    const head = buffer.subarray(0, bytesRead);
    // Fewer than 4 bytes is no container at all (and too short for the checks below).
    if (head.length < 4) return false;
    const ascii = head.toString('latin1');
    return (
      ascii.slice(4, 8) === 'ftyp' || ascii.slice(4, 8) === 'moov' || ascii.slice(4, 8) === 'mdat' ||
      head.readUInt32BE(0) === 0x1a45dfa3 || ascii.startsWith('RIFF') || ascii.startsWith('OggS') ||
      ascii.startsWith('FLV') || head[0] === 0x47 || (head[0] === 0xff && head[1] === 0xd8) || ascii.startsWith('\x89PNG')
    );
  } finally {
    await file.close();
  }
}

/** MaxCLL when the stream carries it, else the mastering display's peak luminance. */
function peakNitsOf(stream: RawStream): number | undefined {
  const sides = stream.side_data_list ?? [];
  const maxCll = sides.find((s) => typeof s.max_content === 'number' && s.max_content > 0)?.max_content;
  return maxCll ?? sides.map((s) => ratio(s.max_luminance)).find((v) => v !== undefined);
}

/** Whether the frames are unevenly spaced: the average rate differs from the base rate. */
function isVariableRate(stream: RawStream): boolean {
  const avg = ratio(stream.avg_frame_rate);
  const base = ratio(stream.r_frame_rate);
  return avg !== undefined && base !== undefined && Math.abs(avg - base) / base > 0.01;
}

function rotationOf(stream: RawStream): number {
  const fromMatrix = stream.side_data_list?.find((s) => typeof s.rotation === 'number')?.rotation;
  const raw = fromMatrix !== undefined ? -fromMatrix : Number(stream.tags?.rotate ?? 0);
  // The display matrix is counter-clockwise; players (and FFmpeg's autorotate) turn clockwise.
  return (((Math.round(raw / 90) * 90) % 360) + 360) % 360;
}

/**
 * Probe `path` and check it against the limits. Throws RetakeError `input_container_refused`, `input_not_media`,
 * `input_no_video_stream`, `input_corrupt`, `input_too_long`, `input_too_many_pixels`.
 */
export async function probeMedia(path: string, options: ProbeOptions = {}): Promise<MediaFacts> {
  const result = await runProcess(
    options.ffprobePath ?? 'ffprobe',
    ['-v', 'error', '-count_packets', '-show_format', '-show_streams', '-of', 'json', ...ffmpegInput(path)],
    { signal: options.signal },
  );
  if (result.code !== 0) {
    if (isContainerRefusal(result.stderrTail)) throw new RetakeError('input_container_refused', CONTAINER_REFUSED_DETAIL);
    if (TRUNCATION.test(result.stderrTail) || (await looksLikeMedia(path))) {
      throw new RetakeError('input_corrupt', 'Input looks like a media file but cannot be read: it is truncated or corrupt');
    }
    throw new RetakeError('input_not_media', 'Input is not a readable video or image');
  }
  const probe = JSON.parse(result.stdout) as RawProbe;
  const streams = probe.streams ?? [];
  const video = streams.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
  if (!video?.width || !video.height) {
    if (streams.length === 0) throw new RetakeError('input_not_media', 'Input is not a readable video or image');
    throw new RetakeError('input_no_video_stream', 'Input has no video stream (audio only?)');
  }
  const formatName = probe.format?.format_name ?? '';
  const isStill = STILL_FORMATS.test(formatName) || Number(video.nb_read_packets ?? 0) <= 1;
  const declaredFrames = Number(video.nb_frames ?? NaN);
  const readPackets = Number(video.nb_read_packets ?? NaN);
  if (TRUNCATION.test(result.stderrTail) || (declaredFrames > 2 && readPackets < declaredFrames * 0.98 - 1)) {
    throw new RetakeError('input_corrupt', 'Input video is truncated or corrupt');
  }

  const duration = isStill ? 0 : Number(probe.format?.duration ?? video.duration ?? NaN);
  if (!isStill && !(duration > 0)) throw new RetakeError('input_corrupt', 'Input video has no readable duration');
  const maxDuration = options.maxDurationS ?? DEFAULT_MAX_DURATION_S;
  if (duration > maxDuration) {
    throw new RetakeError('input_too_long', `Input video is ${duration.toFixed(1)} s long; the limit is ${maxDuration} s`);
  }
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (video.width * video.height > maxPixels) {
    throw new RetakeError('input_too_many_pixels', `Input is ${video.width}x${video.height}; the limit is ${maxPixels} pixels per frame`);
  }

  const audio = streams.find((s) => s.codec_type === 'audio');
  const rotation = rotationOf(video);
  const sar = ratio(video.sample_aspect_ratio) ?? 1;
  const storedWidth = Math.round(video.width * sar);
  const sideways = rotation === 90 || rotation === 270;
  const variableFrameRate = !isStill && isVariableRate(video);
  const rates = variableFrameRate ? [video.r_frame_rate] : [video.avg_frame_rate, video.r_frame_rate];
  const fpsRational = isStill ? undefined : rates.find((r) => ratio(r) !== undefined);
  return {
    width: sideways ? video.height : storedWidth,
    height: sideways ? storedWidth : video.height,
    rotation,
    fps: ratio(fpsRational),
    fpsRational,
    variableFrameRate,
    duration,
    frames: !isStill && readPackets > 0 ? readPackets : undefined,
    hasAudio: audio !== undefined,
    audioChannels: audio?.channels ?? 0,
    pixFmt: video.pix_fmt ?? 'unknown',
    codec: video.codec_name ?? 'unknown',
    isStill,
    colorTransfer: video.color_transfer,
    colorPrimaries: video.color_primaries,
    colorMatrix: video.color_space,
    colorRange: video.color_range,
    peakNits: peakNitsOf(video),
  };
}
