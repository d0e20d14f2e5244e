/** The answer of `POST /api/ai/estimate`: a validated request and its price. */
import type { EngineInterpretation } from '../engines/index.ts';
import type { VideoRequest } from '../models/request.ts';

export interface Estimate {
  model: string;
  request: VideoRequest;
  num_generations: number;
  /** USD per generation. */
  unit_cost: number;
  /** USD for all generations. */
  total_cost: number;
  currency: 'USD';
  warnings: string[];
  /** What the model's engine would understand of the request (retake-local: the look). */
  interpretation?: EngineInterpretation;
}
