/**
 * What the pipeline measures before it renders: the motion of the source (frame
 * differences on tiny grey frames, for auto_controls) and the colour statistics of the
 * input image and of the styled source (for the colour transfer).
 */
import { channelStats, type ChannelStats } from './colour-transfer.ts';
import { readFrames } from './frame-reader.ts';
import { analyseTone, type ToneAnalysis } from './shot-tone.ts';
import { lumaDiffs } from './strength-schedule.ts';

export interface AnalysisOptions {
  ffmpegPath?: string | undefined;
  signal?: AbortSignal | undefined;
  /** Where the frames' temp files go: the job's work directory (frame-reader.ts). */
  tempDir: string;
}

/** Frames are compared at this size: enough for motion, cheap to decode and hold. */
const MOTION_WIDTH = 64;
const MOTION_HEIGHT = 36;
/** Frames sampled per second for the colour statistics of the styled source. */
const STATS_FPS = 2;
const STATS_WIDTH = 96;

/**
 * Mean absolute luma difference between consecutive frames (0..255) of the first
 * `seconds` of `path` at `fps`; element i compares frames i and i+1.
 */
export async function motionProfile(path: string, fps: string, seconds: number, options: AnalysisOptions): Promise<number[]> {
  const { frames } = await readFrames({
    ...options, input: path, seconds, graph: `[0:v]fps=${fps}[v]`, width: MOTION_WIDTH, height: MOTION_HEIGHT, pixFmt: 'gray',
  });
  return lumaDiffs(frames, 1);
}

/** Colour statistics of a still image, cover-fitted to `width`×`height` like frame 0. */
export async function imageStats(path: string, width: number, height: number, options: AnalysisOptions): Promise<ChannelStats> {
  const small = { width: STATS_WIDTH, height: Math.max(2, Math.round((STATS_WIDTH * height) / width)) };
  const { frames, channels } = await readFrames({
    ...options, input: path, pixFmt: 'rgb24', ...small,
    graph: `[0:v]scale=${width}:${height}:force_original_aspect_ratio=increase,crop=${width}:${height},trim=end_frame=1[v]`,
  });
  return channelStats(frames, channels);
}

/**
 * Colour statistics of the source after `graph` (which reads `[0:v]`, writes `[v]`
 * and should include the look), sampled at a few frames a second over `seconds`.
 */
export async function styledStats(path: string, graph: string, width: number, height: number, seconds: number, options: AnalysisOptions): Promise<ChannelStats> {
  const { frames, channels } = await readFrames({
    ...options, input: path, seconds, graph, pixFmt: 'rgb24', width: STATS_WIDTH, height: Math.max(2, Math.round((STATS_WIDTH * height) / width)),
  });
  return channelStats(frames, channels);
}

/** Frames are measured for their tone at this size: a histogram needs no more. */
const TONE_WIDTH = 64;
const TONE_HEIGHT = 36;

/**
 * The shots of the first `seconds` of `path` at `fps` (every output frame, so a cut is
 * placed on its frame) and their tone; `toSdr` is the HDR source's tone-mapping.
 */
export async function shotTone(path: string, fps: string, seconds: number, options: AnalysisOptions, toSdr?: string): Promise<ToneAnalysis> {
  const { frames } = await readFrames({
    ...options, input: path, seconds, graph: `[0:v]fps=${fps}${toSdr ? `,${toSdr}` : ''}[v]`, width: TONE_WIDTH, height: TONE_HEIGHT, pixFmt: 'rgb24',
  });
  const [num, den] = fps.split('/').map(Number);
  return analyseTone(frames, 3, (num ?? 30) / (den ?? 1));
}

export { STATS_FPS };
