/**
 * A request's keyframes as a workflow takes them: FFmpeg lays each keyframe image over
 * the source frame at its index (frame for frame: no frame is dropped or repeated), and
 * draws the mask, a small video as long as the output (the source's aspect ratio) that
 * is black at those frames and white elsewhere. Wan VACE keeps the control frames its mask leaves black and generates the
 * rest, steered by the source; ComfyUI's video loaders read every frame of a file in
 * order, so frame n of these files is frame n of the output.
 */
import { join } from 'node:path';
import { num } from '../local/filter-graph.ts';
import { runFfmpeg } from '../local/ffmpeg-process.ts';
import { outputSize } from './graph.ts';

/** The mask's short side in pixels (its long side keeps the source's aspect ratio). */
const MASK_SHORT_SIDE = 64;

export interface LaidKeyframe {
  /** The fetched image. */
  path: string;
  /** 0-based index in the source's frame grid. */
  frame: number;
}

export interface KeyframeVideoArgs {
  source: string;
  /** The source's size and frame rate. */
  width: number;
  height: number;
  fps: number;
  /** The output's frame count: frames at or past it cannot be laid in. */
  frames: number;
  keyframes: readonly LaidKeyframe[];
  /** Whether to draw the mask (the binding names a mask input). */
  mask: boolean;
  workDir: string;
  signal: AbortSignal;
}

export interface KeyframeVideos {
  /** The source with the keyframes laid in; undefined when none falls inside the output (the source itself serves). */
  video: string | undefined;
  mask: string | undefined;
  warnings: string[];
}

export async function keyframeVideos(args: KeyframeVideoArgs): Promise<KeyframeVideos> {
  const inside = args.keyframes.filter((k) => k.frame < args.frames);
  const warnings = args.keyframes
    .filter((k) => k.frame >= args.frames)
    .map((k) => `The keyframe at frame ${k.frame} is past the output's last frame (${args.frames - 1}); it is not used`);
  // yuv420p wants even sides.
  const width = args.width - (args.width % 2);
  const height = args.height - (args.height % 2);
  const seconds = args.frames / args.fps;
  const encode = (quality: string[], dest: string) => ['-frames:v', String(args.frames), '-an', '-c:v', 'libx264', '-preset', 'veryfast', ...quality, '-pix_fmt', 'yuv420p', '-y', dest];
  let video: string | undefined;
  if (inside.length > 0) {
    video = join(args.workDir, 'keyframes.mp4');
    const chains = inside.map((_, i) => `[${i + 1}:v]scale=${width}:${height},setsar=1[k${i}]`);
    chains.push(`[0:v]scale=${width}:${height},setsar=1[b0]`);
    inside.forEach((k, i) => chains.push(`[b${i}][k${i}]overlay=enable='eq(n,${k.frame})'[b${i + 1}]`));
    chains.push(`[b${inside.length}]format=yuv420p[out]`);
    await runFfmpeg([
      '-i', args.source, ...inside.flatMap((k) => ['-i', k.path]),
      '-filter_complex', chains.join(';'), '-map', '[out]', '-fps_mode', 'passthrough', ...encode(['-crf', '10'], video),
    ], { signal: args.signal, totalSeconds: seconds });
  }
  let mask: string | undefined;
  if (args.mask) {
    mask = join(args.workDir, 'keyframe-mask.mp4');
    const black = inside.length > 0 ? `,drawbox=x=0:y=0:w=iw:h=ih:color=black:t=fill:enable='${inside.map((k) => `eq(n,${k.frame})`).join('+')}'` : '';
    // Each mask frame is one colour, so it is as good small: a loader decodes every frame
    // into memory as floats, and a full-size mask would cost as much as the control video.
    const small = outputSize({ width, height }, MASK_SHORT_SIDE, 2);
    await runFfmpeg([
      '-f', 'lavfi', '-i', `color=c=white:s=${small.width}x${small.height}:r=${num(args.fps)}`,
      '-vf', `format=yuv420p${black}`, ...encode(['-crf', '0'], mask),
    ], { signal: args.signal, totalSeconds: seconds });
  }
  return { video, mask, warnings };
}
