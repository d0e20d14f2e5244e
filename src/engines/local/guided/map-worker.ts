/**
 * One mapping thread of the guided child (map-frames.ts): loads the model once, then
 * maps each frame it is sent (then adds the restyle's canvas and picture marks, when a
 * marks file stands beside the model) and sends the result back. Frames arrive and leave as
 * transferred ArrayBuffers, so nothing is copied between threads. The planes of every
 * frame are computed into the same arrays (reusingAllocator), so a thread's memory stays
 * flat instead of growing with garbage between collections.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { PlaneAllocator } from './features.ts';
import { applyMarks, marksPathFor, parseMarks } from './marks/marks.ts';
import { parseModel } from './model-file.ts';
import { applyGuidedModel } from './model.ts';
import { planMapper } from './keyframes/plan-mapper.ts';

export interface MapWorkerData {
  modelPath: string;
  width: number;
  height: number;
  strength: number;
  /** With keyframes: the plan (keyframes/plan-mapper.ts) naming each frame's models; `modelPath` is then unused. */
  planPath?: string | undefined;
}

export interface MapRequest {
  index: number;
  frame: ArrayBuffer;
}

export interface MapResult {
  index: number;
  frame: ArrayBuffer;
}

/**
 * An allocator that hands out, frame after frame, the same arrays in the same order,
 * zeroed as if new; `reset` starts the next frame. Only for one frame at a time.
 */
function reusingAllocator(): { alloc: PlaneAllocator; reset: () => void } {
  const arrays: Float32Array[] = [];
  let next = 0;
  return {
    alloc(length) {
      let array = arrays[next];
      if (array?.length === length) array.fill(0);
      else arrays[next] = array = new Float32Array(length);
      next++;
      return array;
    },
    reset() {
      next = 0;
    },
  };
}

const { modelPath, width, height, strength, planPath } = workerData as MapWorkerData;
const byPlan = planPath ? planMapper(planPath) : undefined;
const model = byPlan ? undefined : parseModel(readFileSync(modelPath, 'utf8'));
// The restyle's canvas and picture marks, when learning found any (one image, not keyframes).
const marksPath = marksPathFor(modelPath);
const marks = model && existsSync(marksPath) ? parseMarks(readFileSync(marksPath, 'utf8')) : undefined;
const port = parentPort;
if (!port) throw new Error('map-worker runs as a worker thread');

const planes = reusingAllocator();
port.on('message', ({ index, frame }: MapRequest) => {
  planes.reset();
  const source = { width, height, data: new Uint8Array(frame) };
  const mapped = byPlan ? byPlan(index, source, strength, planes.alloc, planes.reset) : applyGuidedModel(model!, source, strength, undefined, planes.alloc);
  const out = marks ? applyMarks(marks, source, mapped, strength) : mapped;
  const result: MapResult = { index, frame: out.buffer as ArrayBuffer };
  port.postMessage(result, [result.frame]);
});
