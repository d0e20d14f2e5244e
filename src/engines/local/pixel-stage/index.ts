/**
 * The compiled per-pixel stage: guided mode's kernels (the feature planes and their
 * blurs, the bucketed first-stage prediction with its colour lookup table and tone
 * curves, the second stage, the strength blend) as a Node-API addon written in C
 * (native/), built by `npm install` with node-gyp. It computes what the TypeScript
 * reference (guided/features.ts, model.ts, colour-lut.ts, context-stage.ts) computes,
 * in the same order and precision, about twenty times faster.
 *
 * When the addon is missing (not built, or built for another platform) or turned off
 * with RETAKE_PIXEL_STAGE=reference, everything still works on the reference path,
 * only slower: `pixelStageProblem()` says why, the server logs it once at start and a
 * guided render carries it as a warning. It also computes the field of directions
 * drawn looks lay their marks along (marks/flow-field.ts) and runs the marks stage's
 * kernels (marks/stage.ts). Keyframe blending and other per-pixel looks
 * call the stage through this module, never the addon directly.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { GuidedModel } from '../guided/model.ts';
import type { RgbFrame } from '../guided/metrics.ts';
import { lumaPlane } from '../marks/gaussian.ts';
import { FLOW_SIGMA, flowFieldReference, type FlowField } from '../marks/flow-field.ts';

/** The addon's functions (native/addon.c). */
export interface PixelStageAddon {
  /** Both stages' prediction (RGB 0..1, interleaved) into `result`. */
  predict(model: GuidedModel, frame: Uint8Array, width: number, height: number, result: Float32Array): Float32Array;
  /** The prediction blended with the frame by `strength`, rounded to 8 bits, into `out`. */
  map(model: GuidedModel, frame: Uint8Array, width: number, height: number, strength: number, out: Uint8Array): Uint8Array;
  /** The field of directions (marks/flow-field.ts) into `angle` and `coherence`. */
  flowField(frame: Uint8Array, width: number, height: number, sigma: number, angle: Float32Array, coherence: Float32Array): Float32Array;
  /** The names of the marks kernels (native/marks-kernels.h). */
  marksKernels(): string[];
  /** A new run of the named marks kernel. */
  marksOpen(kernel: string): MarksRunHandle;
  /** The run's next frame into `out` (native/marks.h). */
  marksFrame(run: MarksRunHandle, frame: Uint8Array, width: number, height: number, params: Float32Array, out: Uint8Array): Uint8Array;
  /** Frees the run's state. */
  marksClose(run: MarksRunHandle): void;
}

/** An open run of a marks kernel, as the addon hands it out. */
export type MarksRunHandle = { readonly marksRun: unique symbol };

/** Where node-gyp puts the addon: build/Release/ under the package root (sources under src/, compiled files under dist/). */
const ADDON_PATH = fileURLToPath(new URL('../../../../build/Release/pixel_stage.node', import.meta.url));

type Loaded = { addon: PixelStageAddon; problem?: undefined } | { addon?: undefined; problem: string };

/** Load the addon at `path`; the reason it cannot be used when it cannot. */
export function loadPixelStage(path = ADDON_PATH, env: NodeJS.ProcessEnv = process.env): Loaded {
  if (env.RETAKE_PIXEL_STAGE === 'reference') return { problem: 'RETAKE_PIXEL_STAGE=reference turns it off' };
  if (!existsSync(path)) return { problem: `${path} is not built (run npm install, or npm rebuild, in the package)` };
  try {
    return { addon: createRequire(import.meta.url)(path) as PixelStageAddon };
  } catch (err) {
    return { problem: `${path} does not load: ${err instanceof Error ? err.message.split('\n')[0]! : String(err)}` };
  }
}

/** Loaded once per process (and again only if RETAKE_PIXEL_STAGE changes). */
let loaded: { switch: string | undefined; result: Loaded } | undefined;
function stage(): Loaded {
  const setting = process.env.RETAKE_PIXEL_STAGE;
  if (!loaded || loaded.switch !== setting) loaded = { switch: setting, result: loadPixelStage() };
  return loaded.result;
}

/** Why the compiled stage is not in use (undefined when it is). */
export function pixelStageProblem(): string | undefined {
  return stage().problem;
}

/** The warning a guided render carries when it ran on the reference path. */
export function referencePathWarning(): string | undefined {
  const problem = pixelStageProblem();
  return problem && `The compiled pixel stage is not in use (${problem}); guided mode ran on the TypeScript reference path, several times slower`;
}

/**
 * The guided mapping of `frame` by the compiled stage, blended by `strength`, into
 * `out` (a new array when not given); undefined when the stage is not in use, so the
 * caller runs the reference instead.
 */
export function mapWithPixelStage(model: GuidedModel, frame: RgbFrame, strength: number, out?: Uint8Array): Uint8Array | undefined {
  const { addon } = stage();
  if (!addon) return undefined;
  return addon.map(model, frame.data, frame.width, frame.height, strength, out ?? new Uint8Array(frame.data.length));
}

/**
 * Both stages' prediction (RGB 0..1, interleaved, before the strength blend) by the
 * compiled stage, into `result`; undefined when the stage is not in use.
 */
export function predictWithPixelStage(model: GuidedModel, frame: RgbFrame, result?: Float32Array): Float32Array | undefined {
  const { addon } = stage();
  if (!addon) return undefined;
  return addon.predict(model, frame.data, frame.width, frame.height, result ?? new Float32Array(frame.data.length));
}

/**
 * The field of directions of `frame`, its structure tensor blurred by `sigma` pixels:
 * by the compiled stage when it is in use, else by the reference (same figures).
 */
export function flowField(frame: RgbFrame, sigma = FLOW_SIGMA): FlowField {
  const { width, height, data } = frame;
  const { addon } = stage();
  if (!addon) return flowFieldReference(lumaPlane(data, width, height), width, height, sigma);
  const angle = new Float32Array(width * height), coherence = new Float32Array(width * height);
  addon.flowField(data, width, height, sigma, angle, coherence);
  return { width, height, angle, coherence };
}

/** A run of a marks kernel: frames go through it in order, the kernel keeping its state between them. */
export interface MarksRun {
  /** The next frame (RGB, width × height × 3) into `out` (a new array when not given). */
  frame(input: Uint8Array, width: number, height: number, params: readonly number[], out?: Uint8Array): Uint8Array;
  close(): void;
}

/**
 * A new run of the marks kernel `kernel`. The marks stage has no reference path: it
 * throws, saying why, when the compiled stage is not in use or has no such kernel.
 */
export function openMarksRun(kernel: string): MarksRun {
  const { addon, problem } = stage();
  if (!addon) throw new Error(`The marks stage needs the compiled pixel stage: ${problem}`);
  if (!addon.marksKernels().includes(kernel)) throw new Error(`The pixel stage has no marks kernel ${kernel}`);
  const run = addon.marksOpen(kernel);
  return {
    frame(input, width, height, params, out) {
      return addon.marksFrame(run, input, width, height, Float32Array.from(params), out ?? new Uint8Array(input.length));
    },
    close: () => addon.marksClose(run),
  };
}

/** The marks kernels the compiled stage has (none when it is not in use). */
export function marksKernels(): string[] {
  return stage().addon?.marksKernels() ?? [];
}
