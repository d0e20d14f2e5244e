/**
 * Probe facts + request + look → the FFmpeg argument list. A pure function, so the
 * geometry rules (short side, even sizes, aspect, frame rate, trim) are unit-tested
 * without running FFmpeg. FFmpeg's autorotate turns rotated sources upright before the
 * filters run; the facts already carry the displayed size.
 */
import { DURATION_SECONDS, SHORT_SIDE, type VideoRequest } from '../../models/request.ts';
import { lookFilters } from './look-filters.ts';
import type { MediaFacts } from './probe.ts';
import type { Look } from './prompt-to-look.ts';
import { lookIntensity } from './strength.ts';

/** Output frame rates above this are reduced to it. */
export const MAX_FPS = 30;

export interface RenderPlanInput {
  source: MediaFacts;
  sourcePath: string;
  /** The cover image for frame 0, when the request has `input_image`. */
  imagePath?: string | undefined;
  request: VideoRequest;
  look: Look;
  outputPath: string;
}

export interface RenderPlan {
  /** Arguments for FFmpeg after the logging/progress flags. */
  args: string[];
  width: number;
  height: number;
  /** Output frame rate as FFmpeg's rational string. */
  fps: string;
  /** Output length in seconds. */
  duration: number;
  hasAudio: boolean;
  /** The look's intensity after edit_strength and modifiers. */
  intensity: number;
  warnings: string[];
}

const even = (value: number): number => Math.max(2, Math.round(value / 2) * 2);

/** Output size: the short side equals `shortSide`, aspect kept, both sides even. */
export function outputSize(width: number, height: number, shortSide: number): { width: number; height: number } {
  return width <= height
    ? { width: even(shortSide), height: even((height * shortSide) / width) }
    : { width: even((width * shortSide) / height), height: even(shortSide) };
}

/** The source's frame rate, capped at {@link MAX_FPS}; 30 when unknown. */
export function outputFps(source: Pick<MediaFacts, 'fps' | 'fpsRational'>): string {
  if (source.fps === undefined || source.fpsRational === undefined || source.fps > MAX_FPS) return String(MAX_FPS);
  return source.fpsRational;
}

/** Build the render for one request. */
export function planRender(input: RenderPlanInput): RenderPlan {
  const { source, request, look } = input;
  const warnings: string[] = [];
  const requested = DURATION_SECONDS[request.duration];
  const duration = Math.min(source.duration, requested);
  if (source.duration < requested) {
    warnings.push(`Source is ${source.duration.toFixed(1)} s, shorter than ${request.duration}; the output is ${source.duration.toFixed(1)} s long`);
  }
  const { width, height } = outputSize(source.width, source.height, SHORT_SIDE[request.resolution]);
  const fps = outputFps(source);
  const intensity = lookIntensity(request.edit_strength, look.modifiers);
  const graded = [`fps=${fps}`, `scale=${width}:${height}:flags=bicubic`, 'setsar=1', ...lookFilters(look, intensity), 'format=yuv420p'];

  const args = ['-i', input.sourcePath];
  let graph: string;
  if (input.imagePath) {
    // Frame 0 is the image, cover-fitted; the clip continues from its second frame so
    // the length and the timing of every later frame are unchanged.
    args.push('-loop', '1', '-framerate', fps, '-t', '1', '-i', input.imagePath);
    graph =
      `[0:v]${graded.join(',')},trim=start_frame=1,setpts=PTS-STARTPTS[rest];` +
      `[1:v]scale=${width}:${height}:force_original_aspect_ratio=increase:flags=bicubic,crop=${width}:${height},` +
      `setsar=1,format=yuv420p,trim=end_frame=1,setpts=PTS-STARTPTS[first];` +
      `[first][rest]concat=n=2:v=1:a=0[v]`;
  } else {
    graph = `[0:v]${graded.join(',')}[v]`;
  }
  args.push('-filter_complex', graph, '-map', '[v]');
  if (source.hasAudio) {
    args.push('-map', '0:a:0', '-c:a', 'aac', '-b:a', '160k');
    // Surround layouts trip FFmpeg's AAC encoder and most players want stereo anyway.
    if (source.audioChannels > 2) args.push('-ac', '2');
  }
  args.push(
    '-t', duration.toFixed(3),
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p',
    '-fps_mode', 'cfr', '-movflags', '+faststart', '-map_metadata', '-1',
    '-f', 'mp4', '-y', input.outputPath,
  );
  return { args, width, height, fps, duration, hasAudio: source.hasAudio, intensity, warnings };
}
