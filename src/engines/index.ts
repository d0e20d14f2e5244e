/**
 * Which engine runs which model. The catalogue names the engine kind of each model;
 * this maps kinds to engine instances built from the configuration.
 */
import type { ModelInfo } from '../models/index.ts';
import type { Engine } from './types.ts';

export type EngineSet = Record<ModelInfo['engine'], Engine>;

export function engineFor(engines: EngineSet, model: ModelInfo): Engine {
  return engines[model.engine];
}

export type {
  Engine, EngineCheckpoint, EngineInterpretation, EngineJob, EngineOutput, EngineProgress, EngineResult, EstimateInterpretation,
  GuidedInterpretation, HostedInterpretation, LocalInterpretation, LookInterpretation,
} from './types.ts';
export { engineInterpretationSchema, estimateInterpretationSchema } from './interpretation-schema.ts';
