/**
 * Which engine runs which model. The catalogue names the engine kind of each model;
 * this maps kinds to engine instances built from the configuration.
 */
import type { ModelInfo } from '../models/index.ts';
import type { LocalInterpretation } from './local/interpretation.ts';
import type { HostedInterpretation } from './provider-io/interpretation.ts';
import type { Engine } from './types.ts';

export type EngineSet = Record<ModelInfo['engine'], Engine>;

export function engineFor(engines: EngineSet, model: ModelInfo): Engine {
  return engines[model.engine];
}

export type { Engine, EngineCheckpoint, EngineInterpretation, EngineJob, EngineOutput, EngineProgress, EngineResult } from './types.ts';
export type { EstimateInterpretation, GuidedInterpretation, LocalInterpretation, LookInterpretation } from './local/interpretation.ts';
export type { HostedInterpretation } from './provider-io/interpretation.ts';

/**
 * The records the engines built into retake write, for readers that show them by name
 * (the Workbench, the typed client's tests): `engine` tells them apart. A generation
 * stored by an engine not listed here still reads as an {@link EngineInterpretation}.
 */
export type KnownInterpretation = LocalInterpretation | HostedInterpretation<'fal'> | HostedInterpretation<'luma'>;
export { engineInterpretationSchema, estimateInterpretationSchema } from './interpretation-schema.ts';
