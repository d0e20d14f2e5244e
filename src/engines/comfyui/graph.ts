/**
 * A request becomes a ComfyUI graph: a copy of the operator's workflow with each bound
 * node input replaced: the prompt, the uploaded video and image names, the size from
 * `resolution` and the source's aspect ratio (rounded to the model's multiple), the frame
 * count from `duration` and the source's frame rate (in the model's `k·n + plus` form),
 * the strength from `edit_strength` by the model's table, the seed, and the keyframes'
 * control video and mask (keyframe-video.ts makes them).
 */
import { DURATION_SECONDS, SHORT_SIDE, type VideoRequest } from '../../models/request.ts';
import type { ApiWorkflow, NodeInput, OperatorModel } from '../../models/operator-model.ts';

export interface SourceFacts {
  width: number;
  height: number;
  /** Frames per second; undefined when unknown (24 is assumed). */
  fps: number | undefined;
  /** Seconds. */
  duration: number;
}

export interface GraphInputs {
  /** The uploaded video's name as ComfyUI's input folder knows it (`retake/<id>-video.mp4`). */
  video: string;
  image?: string | undefined;
  /** The uploaded control video (the source with the keyframes laid in) and its mask, for a `keyframes` binding. */
  keyframes?: { video: string; mask?: string | undefined } | undefined;
  source: SourceFacts;
  seed: number;
}

export interface BuiltGraph {
  graph: ApiWorkflow;
  /** What was set, for the warnings and the tests. */
  width?: number | undefined;
  height?: number | undefined;
  frames?: number | undefined;
  warnings: string[];
}

/** The default edit strength when a request names none (the request schema's default). */
const DEFAULT_STRENGTH = 'flex_2';
const ASSUMED_FPS = 24;

/** The source's frame rate, or the one assumed when it is unknown. */
export const sourceFps = (source: Pick<SourceFacts, 'fps'>): number => source.fps ?? ASSUMED_FPS;

export function buildGraph(model: OperatorModel, request: VideoRequest, inputs: GraphInputs): BuiltGraph {
  const graph = structuredClone(model.workflow);
  const b = model.bindings;
  const warnings: string[] = [];
  const set = (binding: NodeInput | undefined, value: unknown): void => {
    if (binding) graph[binding.node]!.inputs[binding.input] = value;
  };
  set(b.prompt, request.prompt);
  set(b.video, inputs.video);
  set(b.image, inputs.image);
  // After `video`: the keyframes' control video may go to the same loader, in its place.
  set(b.keyframes, inputs.keyframes?.video);
  set(b.keyframes?.mask, inputs.keyframes?.mask);
  set(b.seed, inputs.seed);
  if (b.strength) set(b.strength, b.strength.table[request.edit_strength ?? DEFAULT_STRENGTH]);

  const out: BuiltGraph = { graph, warnings };
  if (b.width && b.height) {
    const size = outputSize(inputs.source, SHORT_SIDE[request.resolution], b.size_multiple ?? 16);
    set(b.width, size.width);
    set(b.height, size.height);
    Object.assign(out, size);
  }
  const fps = sourceFps(inputs.source);
  set(b.fps, fps);
  const wanted = DURATION_SECONDS[request.duration];
  if (inputs.source.duration + 0.05 < wanted) {
    warnings.push(`source is ${inputs.source.duration.toFixed(1)} s, shorter than ${request.duration}; the output has the source's length`);
  }
  if (b.frames) {
    out.frames = outputFrames(model, request, inputs.source);
    set(b.frames, out.frames);
  }
  return out;
}

/**
 * The output's frame count, in the source's frame grid: `duration` (or the source's
 * length, if shorter) at the source's frame rate, in the `frames` binding's
 * `multiple_of`·k + `plus` form when there is one.
 */
export function outputFrames(model: OperatorModel, request: VideoRequest, source: SourceFacts): number {
  const frames = Math.min(DURATION_SECONDS[request.duration], source.duration) * sourceFps(source);
  const form = model.bindings.frames;
  return form ? frameCount(frames, form.multiple_of ?? 1, form.plus ?? 0) : Math.max(1, Math.floor(frames + 1e-6));
}

/** The output size: `shortSide` on the source's short side, the long side by its aspect ratio, both rounded to `multiple`. */
export function outputSize(source: Pick<SourceFacts, 'width' | 'height'>, shortSide: number, multiple: number): { width: number; height: number } {
  const round = (n: number) => Math.max(multiple, Math.round(n / multiple) * multiple);
  const landscape = source.width >= source.height;
  const long = (shortSide * (landscape ? source.width : source.height)) / (landscape ? source.height : source.width);
  return landscape ? { width: round(long), height: round(shortSide) } : { width: round(shortSide), height: round(long) };
}

/** The largest `multiple·k + plus` frames that fit in `frames` (at least `plus + multiple`, or 1). */
export function frameCount(frames: number, multiple: number, plus: number): number {
  const k = Math.floor((Math.floor(frames + 1e-6) - plus) / multiple);
  return Math.max(plus + multiple * Math.max(k, plus > 0 ? 0 : 1), 1);
}
