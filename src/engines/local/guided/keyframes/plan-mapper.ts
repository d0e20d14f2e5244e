/**
 * Mapping one frame with keyframes: the plan (schedule.ts) says which models' predictions
 * make frame i and with what weights. A mapping thread keeps only the few models its
 * recent frames needed (frames reach a thread in order, so at most two are in use at
 * once), so its memory does not grow with the number of keyframes.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { PlaneAllocator } from '../features.ts';
import type { RgbFrame } from '../metrics.ts';
import { applyMarks, marksPathFor, parseMarks, type Marks } from '../marks/marks.ts';
import { parseModel } from '../model-file.ts';
import { applyGuidedModel, type GuidedModel } from '../model.ts';
import { blendAt, type PlannedShot } from './schedule.ts';

/** What the mapper child reads: the model files and the planned shots. */
export interface KeyframePlan {
  models: string[];
  shots: PlannedShot[];
}

/** Models kept loaded per thread. */
const CACHED_MODELS = 3;

/** Loads models on demand, keeping the most recently used few. */
export function modelCache<T = GuidedModel>(load: (index: number) => T, size = CACHED_MODELS): (index: number) => T {
  const cache = new Map<number, T>();
  return (index) => {
    let model = cache.get(index);
    if (model) cache.delete(index);
    else model = load(index);
    cache.set(index, model);
    if (cache.size > size) cache.delete(cache.keys().next().value!);
    return model;
  };
}

/** The crossfade of two mapped frames, written into `a`. */
export function crossfade(a: Uint8Array, b: Uint8Array, weightOfB: number): Uint8Array {
  for (let p = 0; p < a.length; p++) a[p] = Math.round(a[p]! + weightOfB * (b[p]! - a[p]!));
  return a;
}

/**
 * Map frame `index` by `shots` with models from `model` (and each model's canvas and
 * picture marks from `marks`, when it has any). `reset` starts the allocator's arrays
 * afresh (they hold one prediction at a time).
 */
export function mapByPlan(
  shots: readonly PlannedShot[], model: (index: number) => GuidedModel, index: number, frame: RgbFrame, strength: number,
  alloc?: PlaneAllocator, reset?: () => void, marks?: (index: number) => Marks | undefined,
): Uint8Array {
  const predict = (m: number): Uint8Array => {
    const mapped = applyGuidedModel(model(m), frame, strength, undefined, alloc);
    const found = marks?.(m);
    return found ? applyMarks(found, frame, mapped, strength) : mapped;
  };
  const [first, second] = blendAt(shots, index);
  const out = predict(first!.model);
  if (!second) return out;
  reset?.();
  return crossfade(out, predict(second.model), second.weight);
}

/** A mapper of frames by the plan in `planPath`. */
export function planMapper(planPath: string): (index: number, frame: RgbFrame, strength: number, alloc?: PlaneAllocator, reset?: () => void) => Uint8Array {
  const plan = JSON.parse(readFileSync(planPath, 'utf8')) as KeyframePlan;
  const model = modelCache((i) => parseModel(readFileSync(plan.models[i]!, 'utf8')));
  // Marks are small; each keyframe's (when learning found any) is read once.
  const marks = plan.models.map((path) => (existsSync(marksPathFor(path)) ? parseMarks(readFileSync(marksPathFor(path), 'utf8')) : undefined));
  return (index, frame, strength, alloc, reset) => mapByPlan(plan.shots, model, index, frame, strength, alloc, reset, (i) => marks[i]);
}
