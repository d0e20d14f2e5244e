/**
 * Probe facts + request + look → the FFmpeg argument list. A pure function, so the
 * geometry rules (short side, even sizes, aspect, frame rate, trim) are unit-tested
 * without running FFmpeg. FFmpeg's autorotate turns rotated sources upright before the
 * filters run; the facts already carry the displayed size. Looks are graded in SDR:
 * HDR sources are tone-mapped first, and HDR10 / EXR outputs branch off the graded
 * picture at the end (see hdr.ts). A look with a marks step is cut there into
 * decoder | marks kernel | encoder (MarksPlan; marks/stage.ts runs the chain).
 */
import { DURATION_SECONDS, SHORT_SIDE, type VideoRequest } from '../../models/request.ts';
import { ffmpegInput } from '../../media/index.ts';
import { link } from './filter-graph.ts';
import { hdr10EncoderArgs, hdrToSdrFilter, sdrToAcesFilter, sdrToPqFilter } from './hdr.ts';
import type { MarksStep } from './filter-graph.ts';
import { lookGraph, lookMarks, toneSteps, type LookPart } from './look-filters.ts';
import type { MediaFacts } from './probe.ts';
import type { Look } from './prompt-to-look.ts';
import type { RecipeContext } from './recipes/primitives.ts';
import type { ToneAnalysis } from './shot-tone.ts';
import { lookIntensity } from './strength.ts';

/** Output frame rates above this are reduced to it. */
export const MAX_FPS = 30;
/**
 * Most frames in an EXR sidecar: 5 s at 30 fps. A half-float 1080p frame is about
 * 12 MB before compression, so every frame of a 10 s clip would make a multi-GB zip;
 * longer outputs get their first frames, contiguous, with a warning.
 */
export const EXR_MAX_FRAMES = 150;

export interface RenderPlanInput {
  source: MediaFacts;
  sourcePath: string;
  /** The cover image for frame 0, when the request has `input_image`. */
  imagePath?: string | undefined;
  request: VideoRequest;
  look: Look;
  outputPath: string;
  /**
   * Per-segment intensities (auto_controls), covering the output from 0 s in order.
   * Default: one segment at the request's edit_strength.
   */
  segments?: readonly IntensitySegment[] | undefined;
  /**
   * The source's shots and colour (shot-tone.ts): each shot is mapped into the look's
   * tone window before the look, and a colourless source gets the palette's colour
   * after it. Default: none (the look sees the source as it is).
   */
  tone?: ToneAnalysis | undefined;
  /** Filters applied after the look to every frame from the source (colour transfer). */
  grade?: readonly string[] | undefined;
  /**
   * Where EXR frames go, as an FFmpeg image2 pattern (`.../frame_%05d.exr`), when the
   * request has exr_export. Default: no EXR output.
   */
  exrPattern?: string | undefined;
  /** Cap on EXR frames; default {@link EXR_MAX_FRAMES}. */
  exrMaxFrames?: number | undefined;
}

export interface IntensitySegment {
  /** Seconds from the start of the output. */
  start: number;
  end: number;
  intensity: number;
}

export interface RenderPlan {
  /**
   * Arguments for FFmpeg after the logging/progress flags: the whole render, or with
   * `marks` the encoder, which reads the marks kernel's frames on stdin.
   */
  args: string[];
  /** The decoder and kernel of a look with a marks step (marks/stage.ts runs them). */
  marks?: MarksPlan | undefined;
  width: number;
  height: number;
  /** Output frame rate as FFmpeg's rational string. */
  fps: string;
  /** Output length in seconds. */
  duration: number;
  hasAudio: boolean;
  /** The look's intensity after edit_strength and modifiers. */
  intensity: number;
  /** HDR10 output (HEVC Main10, PQ). */
  hdr: boolean;
  /** EXR frames the render writes (0 without exr_export). */
  exrFrames: number;
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

/** FFmpeg's reading of a rational frame rate. */
export function fpsValue(fps: string): number {
  const [num, den] = fps.split('/').map(Number);
  return (num ?? 30) / (den ?? 1);
}

/** One side of a render's graph: where it reads, what runs before and after the look (or its part). */
interface GraphSide {
  input: string;
  head: string[];
  part: LookPart;
  tail: string[];
  output: string;
}

/**
 * `[input]` → `[output]`: the head, the look's `part` (once per segment, each on its own
 * frame range, concatenated) and the tail.
 */
function segmentedGraph(input: { look: Look; segments: readonly IntensitySegment[]; fps: string; ctx: RecipeContext }, side: GraphSide): string[] {
  const { segments, fps, look, ctx } = input;
  const { head, tail, part } = side;
  if (segments.length === 1) {
    const only = segments[0] as IntensitySegment;
    return [
      link(side.input, head, 'pre'),
      lookGraph(look, only.intensity, ctx, { input: 'pre', output: 'looked', prefix: 'k' }, part),
      link('looked', tail, side.output),
    ];
  }
  const rate = fpsValue(fps);
  const chains = [link(side.input, [...head, `split=${segments.length}`], segments.map((_, i) => `seg${i}`))];
  segments.forEach((segment, i) => {
    const from = Math.round(segment.start * rate);
    // The last segment runs to the end of the stream; -t trims the output.
    const to = i === segments.length - 1 ? '' : `:end_frame=${Math.round(segment.end * rate)}`;
    chains.push(link(`seg${i}`, [`trim=start_frame=${from}${to}`, 'setpts=PTS-STARTPTS'], `cut${i}`));
    chains.push(lookGraph(look, segment.intensity, ctx, { input: `cut${i}`, output: `out${i}`, prefix: `k${i}_` }, part));
  });
  chains.push(link(segments.map((_, i) => `out${i}`), [`concat=n=${segments.length}:v=1:a=0`, ...tail], side.output));
  return chains;
}

/** The steps that bring a source to the output's frame rate and size, in SDR, from frame 0. */
function sourceHead(source: MediaFacts, width: number, height: number, fps: string): string[] {
  // Tone-mapping after the scale: the float conversions then run on output-size frames.
  const toSdr = hdrToSdrFilter(source);
  return [`fps=${fps}`, `scale=${width}:${height}:flags=bicubic`, 'setsar=1', 'setpts=PTS-STARTPTS', ...(toSdr ? [toSdr] : [])];
}

/**
 * The marks stage of a render whose look has a marks step: the decoder's arguments
 * (source → the look up to the marks step → raw RGB frames at the kernel's size on
 * stdout), the kernel, its size and its parameters per frame range; the encoder, whose
 * arguments are the plan's `args`, reads the kernel's frames on stdin.
 */
export interface MarksPlan {
  kernel: string;
  width: number;
  height: number;
  /** The kernel's parameters from frame `from` on (one entry per intensity segment). */
  schedule: MarksSegment[];
  /** FFmpeg arguments of the decoder, after the logging flags. */
  decoder: string[];
}

export interface MarksSegment {
  from: number;
  params: number[];
}

/** The params of frame `index` under `schedule`: the last entry's that starts at or before it. */
export function paramsAt(schedule: readonly MarksSegment[], index: number): number[] {
  let params = schedule[0]?.params ?? [];
  for (const segment of schedule) if (segment.from <= index) params = segment.params;
  return params;
}

/**
 * The size a marks kernel works at: its step's exact `size` (the look's own steps make
 * and undo it), else `proxy` as the short side, never above the output's; `scaled` when
 * the render scales to it before the kernel and back after.
 */
export function marksSize(width: number, height: number, step: Pick<MarksStep, 'proxy' | 'size'>): { width: number; height: number; scaled: boolean } {
  if (step.size) return { ...step.size, scaled: false };
  const { proxy } = step;
  if (proxy === undefined || proxy >= Math.min(width, height)) return { width, height, scaled: false };
  const size = outputSize(width, height, proxy);
  return { ...size, scaled: size.width !== width || size.height !== height };
}

/** The marks step's kernel and per-segment parameters; undefined for a look of filters only. */
function marksOf(look: Look, segments: readonly IntensitySegment[], ctx: RecipeContext, rate: number): { step: MarksStep; schedule: MarksSegment[] } | undefined {
  const steps = segments.map((segment) => lookMarks(look, segment.intensity, ctx));
  const step = steps[0];
  if (!step) return undefined;
  return { step, schedule: segments.map((segment, i) => ({ from: Math.round(segment.start * rate), params: [...(steps[i]?.params ?? step.params)] })) };
}

/**
 * The output's size, frame rate and length: what a request fixes before any look is
 * chosen (guided mode learns at this size while the prompt is still being read).
 */
export function renderGeometry(source: MediaFacts, request: Pick<VideoRequest, 'duration' | 'resolution'>): { width: number; height: number; fps: string; duration: number } {
  const { width, height } = outputSize(source.width, source.height, SHORT_SIDE[request.resolution]);
  return { width, height, fps: outputFps(source), duration: Math.min(source.duration, DURATION_SECONDS[request.duration]) };
}

/** Build the render for one request. */
export function planRender(input: RenderPlanInput): RenderPlan {
  const { source, request, look } = input;
  const warnings: string[] = [];
  const requested = DURATION_SECONDS[request.duration];
  if (source.duration < requested) {
    warnings.push(`Source is ${source.duration.toFixed(1)} s, shorter than ${request.duration}; the output is ${source.duration.toFixed(1)} s long`);
  }
  const { width, height, fps, duration } = renderGeometry(source, request);
  const intensity = lookIntensity(request.edit_strength, look.modifiers);
  const segments = input.segments && input.segments.length > 0 ? input.segments : [{ start: 0, end: duration, intensity }];
  // What a look fixes for the whole render (pixel art's grid) follows the strongest segment.
  const strongest = Math.max(...segments.map((s) => s.intensity));
  // A colourless source is coloured by tone before the look: a look may treat it apart.
  const ctx = { width, height, colourless: input.tone?.colourless === true, strongest };
  const rate = fpsValue(fps);
  // The one place every look gets its per-shot tone and, on a colourless source, its palette.
  const tone = input.tone ? toneSteps(look, input.tone, strongest, height) : { before: [], after: [] };
  const tail = [...tone.after, ...(input.grade ?? []), 'format=yuv420p'];
  const head = [...sourceHead(source, width, height, fps), ...tone.before];
  const graphInput = { look, segments, fps, ctx };
  const marks = marksOf(look, segments, ctx, rate);
  let args: string[];
  let graph: string[];
  let marksPlan: MarksPlan | undefined;
  // Where the encoder finds the source's audio and the cover image.
  let inputs = { audio: '0:a:0', image: '1:v' };
  if (!marks) {
    args = ffmpegInput(input.sourcePath);
    graph = segmentedGraph(graphInput, { input: '0:v', head, part: 'all', tail, output: 'graded' });
  } else {
    // decoder | marks kernel | encoder: the look's steps before the marks step run in the
    // decoder, at the output size; the kernel at its own; the steps after it in the encoder.
    const { scaled, ...size } = marksSize(width, height, marks.step);
    const decoderGraph = segmentedGraph(graphInput, {
      input: '0:v', head, part: 'before', output: 'v',
      tail: [...(scaled ? [`scale=${size.width}:${size.height}:flags=area`] : []), 'format=rgb24'],
    });
    marksPlan = {
      kernel: marks.step.marks, ...size, schedule: marks.schedule,
      decoder: [
        ...ffmpegInput(input.sourcePath), '-filter_complex', decoderGraph.join(';'), '-map', '[v]',
        '-t', duration.toFixed(3), '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1',
      ],
    };
    args = ['-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${size.width}x${size.height}`, '-framerate', fps, '-i', 'pipe:0', ...ffmpegInput(input.sourcePath)];
    inputs = { audio: '1:a:0', image: '2:v' };
    graph = segmentedGraph(graphInput, {
      input: '0:v', part: 'after', tail, output: 'graded',
      head: [...(scaled ? [`scale=${width}:${height}:flags=bicubic`] : []), 'setsar=1', 'setpts=PTS-STARTPTS'],
    });
  }
  if (input.imagePath) {
    // Frame 0 is the image, cover-fitted; the clip continues from its second frame so
    // the length and the timing of every later frame are unchanged.
    args.push('-loop', '1', '-framerate', fps, '-t', '1', ...ffmpegInput(input.imagePath));
    graph.push(
      link('graded', ['trim=start_frame=1', 'setpts=PTS-STARTPTS'], 'rest'),
      link(inputs.image, [
        `scale=${width}:${height}:force_original_aspect_ratio=increase:flags=bicubic`, `crop=${width}:${height}`,
        'setsar=1', 'format=yuv420p', 'trim=end_frame=1', 'setpts=PTS-STARTPTS',
      ], 'first'),
      link(['first', 'rest'], 'concat=n=2:v=1:a=0', 'v'),
    );
  } else {
    graph.push(link('graded', [], 'v'));
  }
  const hdr = request.hdr;
  const frames = Math.round(duration * rate);
  const exrFrames = hdr && input.exrPattern ? Math.min(frames, input.exrMaxFrames ?? EXR_MAX_FRAMES) : 0;
  if (exrFrames > 0 && exrFrames < frames) {
    warnings.push(`The EXR sidecar holds the first ${exrFrames} frames (${(exrFrames / rate).toFixed(1)} s) of the ${frames}-frame output`);
  }
  if (exrFrames > 0) graph.push(link('v', 'split', ['vh', 'vx']), link('vh', sdrToPqFilter(), 'vout'), link('vx', sdrToAcesFilter(), 'xout'));
  else if (hdr) graph.push(link('v', sdrToPqFilter(), 'vout'));
  else graph.push(link('v', [], 'vout'));
  args.push('-filter_complex', graph.join(';'), '-map', '[vout]');
  if (source.hasAudio) {
    args.push('-map', inputs.audio, '-c:a', 'aac', '-b:a', '160k');
    // Surround layouts trip FFmpeg's AAC encoder and most players want stereo anyway.
    if (source.audioChannels > 2) args.push('-ac', '2');
  }
  const videoCodec = hdr ? hdr10EncoderArgs() : ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p'];
  args.push(
    '-t', duration.toFixed(3), ...videoCodec,
    '-fps_mode', 'cfr', '-movflags', '+faststart', '-map_metadata', '-1',
    '-f', 'mp4', '-y', input.outputPath,
  );
  if (exrFrames > 0 && input.exrPattern) {
    args.push(
      '-map', '[xout]', '-frames:v', String(exrFrames), '-fps_mode', 'cfr', '-map_metadata', '-1',
      '-c:v', 'exr', '-compression', 'zip1', '-format', 'half', '-start_number', '0', '-f', 'image2', '-y', input.exrPattern,
    );
  }
  return { args, width, height, fps, duration, hasAudio: source.hasAudio, intensity, hdr, exrFrames, warnings, ...(marksPlan ? { marks: marksPlan } : {}) };
}
