/**
 * Which engine runs which model. The catalogue names the engine kind of each model;
 * this maps kinds to engine instances built from the configuration. An operator's
 * ComfyUI models each have their own engine (its workflow and servers), by model id.
 */
import { RetakeError } from '../errors/index.ts';
import type { ModelInfo } from '../models/index.ts';
import type { LocalInterpretation } from './local/interpretation.ts';
import type { ComfyInterpretation } from './comfyui/interpretation.ts';
import type { HostedInterpretation } from './provider-io/interpretation.ts';
import type { Engine } from './types.ts';

export type EngineSet = Record<'local' | 'hosted', Engine> & {
  /** Engines of operator-declared models, by model id. Default none. */
  byModel?: ReadonlyMap<string, Engine> | undefined;
};

export function engineFor(engines: EngineSet, model: ModelInfo): Engine {
  if (model.engine !== 'comfyui') return engines[model.engine];
  const engine = engines.byModel?.get(model.id);
  if (!engine) throw new RetakeError('engine_unavailable', `Model ${model.id} is declared in the models file but this process has no engine for it`);
  return engine;
}

export type { Engine, EngineCheckpoint, EngineInterpretation, EngineJob, EngineOutput, EngineProgress, EngineResult } from './types.ts';
export type { EstimateInterpretation, GuidedInterpretation, LocalInterpretation, LookInterpretation } from './local/interpretation.ts';
export type { HostedInterpretation } from './provider-io/interpretation.ts';
export type { ComfyInterpretation } from './comfyui/interpretation.ts';

/**
 * The records the engines built into retake write, for readers that show them by name
 * (the Workbench, the typed client's tests): `engine` tells them apart. A generation
 * stored by an engine not listed here still reads as an {@link EngineInterpretation}.
 */
export type KnownInterpretation = LocalInterpretation | HostedInterpretation<'fal'> | HostedInterpretation<'luma'> | ComfyInterpretation;
export { engineInterpretationSchema, estimateInterpretationSchema } from './interpretation-schema.ts';
