/**
 * The seam between jobs and engines. A job hands an engine a validated request, a
 * private work directory, an abort signal and a progress callback; the engine hands
 * back files in that directory. The job runner moves them into the blob store. A new
 * engine is one new folder that exports an `Engine`.
 */
import type { VideoRequest } from '../models/request.ts';
import type { EstimateInterpretation, LocalInterpretation } from './local/interpretation.ts';

export type { EstimateInterpretation, GuidedInterpretation, LocalInterpretation, LookInterpretation } from './local/interpretation.ts';

/**
 * Why a job's signal was aborted (`signal.reason`). An engine tells them apart: a
 * cancel stops the work upstream too (a hosted provider's job is cancelled), while a
 * shutdown or a lost lease leaves it running so the next attempt picks it up.
 */
export const ABORT_REASONS = {
  cancelled: 'cancelled',
  shutdown: 'shutdown',
  leaseLost: 'lease_lost',
} as const;

export interface EngineProgress {
  /** 0..1 */
  progress: number;
  /** Short stage name: `fetching`, `probing`, `rendering`, `encoding`, `uploading` ... */
  stage: string;
  /** Estimated seconds left, when known. */
  eta_s?: number | undefined;
}

export interface EngineJob {
  generationId: string;
  request: VideoRequest;
  /** A fresh directory for this attempt; removed by the runner afterwards. */
  workDir: string;
  /** Aborted on cancel or shutdown; the engine must stop its children within a second. */
  signal: AbortSignal;
  onProgress(progress: EngineProgress): void;
  /**
   * Make an input URL (`input_video` / `input_image`) available as a local file in
   * `workDir`: retake's own upload URLs resolve to the stored file, other URLs are
   * fetched through the URL guard. Throws RetakeError `input_*` codes.
   */
  fetchInput(url: string, name: string): Promise<string>;
  /**
   * Durable state of this generation across attempts and restarts (a JSON object stored
   * with the generation). Hosted engines write the provider's request id here before
   * anything else, and read it back on a later attempt to follow that request instead of
   * paying for a second one. Optional: absent in one-off runs (CLI, tests).
   */
  checkpoint?: EngineCheckpoint | undefined;
}

export interface EngineCheckpoint {
  get(): Promise<Record<string, unknown> | undefined>;
  set(value: Record<string, unknown>): Promise<void>;
}

export interface EngineOutput {
  kind: 'video' | 'exr';
  /** Absolute path of a file inside the job's workDir. */
  path: string;
  contentType: string;
}

/** What a hosted engine records: which provider ran the generation, under which id. */
export interface HostedInterpretation {
  engine: 'fal' | 'luma';
  provider_request_id: string;
}

/** What the comfyui engine records: the ComfyUI server, its prompt id and the seed retake chose. */
export interface ComfyInterpretation {
  engine: 'comfyui';
  provider_request_id: string;
  server: string;
  seed: number;
}

/**
 * What an engine reports it understood, stored on the generation and answered by the
 * API; `engine` tells the shapes apart. Rows stored by an older version may lack fields.
 */
export type EngineInterpretation = LocalInterpretation | HostedInterpretation | ComfyInterpretation;

export interface EngineResult {
  /** The first output is the main video. */
  outputs: EngineOutput[];
  /** What the engine understood of the prompt; stored on the generation. */
  interpretation?: EngineInterpretation;
  /** Human-readable notes for the user (e.g. "source is 2.0 s, shorter than 5s"). */
  warnings: string[];
}

export interface Engine {
  /** `local`, `fal`, `luma`. */
  readonly id: string;
  /**
   * Throws RetakeError before anything is queued when the engine cannot run at all
   * (e.g. a hosted engine without a key). Optional.
   */
  assertAvailable?(): void;
  render(job: EngineJob): Promise<EngineResult>;
  /**
   * What the engine would understand of `request`, without running it: the same
   * `interpretation` a render records, so an estimate can show it. Must not block the
   * event loop for long (heavy work belongs in a worker). Optional.
   */
  interpret?(request: VideoRequest): Promise<EstimateInterpretation>;
}
