/**
 * Jobs: what the API asks of the generation service, and the queue that carries work
 * from the API to workers. The embedded queue is a store table with leases and
 * heartbeats; scale-out swaps in BullMQ behind the same `JobQueue`.
 */
import type { Estimate } from './estimate.ts';
import type { ApiKeyRow, GenerationFilter, GenerationRow, WebhookOptions } from '../store/types.ts';

export type { Estimate };

export interface SubmitInput {
  key: ApiKeyRow;
  /** Model id; unknown ids throw 404 `Model not found: <id>`. */
  model: string;
  /** The model request fields (envelope fields such as `model` removed). */
  body: unknown;
  webhookUrl?: string | undefined;
  /** The webhook's shape when the request came through another protocol (default: retake's own). */
  webhookOptions?: WebhookOptions | undefined;
  /** num_generations, 1..4 (default 1). */
  count?: number | undefined;
  /** Ids for the new generations (one per generation), chosen by the caller; default random. */
  ids?: string[] | undefined;
}

export interface GenerationService {
  /** Validate and price without running anything. */
  estimate(input: SubmitInput): Promise<Estimate>;
  /**
   * Validate (422 listing every problem), check entitlements (HDR 403, budget 402,
   * hosted engine configured 503), charge, store the rows and enqueue them.
   */
  submit(input: SubmitInput): Promise<GenerationRow[]>;
  /** The key's generation, or 404 `generation_not_found` (also for another key's). */
  get(key: ApiKeyRow, id: string): Promise<GenerationRow>;
  list(filter: GenerationFilter): Promise<{ rows: GenerationRow[]; total: number }>;
  totalCost(keyId: string): Promise<number>;
  /** Cancel a queued or processing generation; 409 `not_cancellable` once terminal. */
  cancel(key: ApiKeyRow, id: string): Promise<GenerationRow>;
  /** Resolves with the row once it is terminal (succeeded, failed, cancelled). */
  waitForTerminal(id: string, timeoutMs: number): Promise<GenerationRow>;
}

/** What jobs report for metrics; every method is cheap and synchronous. Engine ids: `local`, `fal`, `luma`. */
export interface JobObserver {
  /** An attempt started; `queueWaitS` (submission to start) on the first start only. */
  started(engine: string, queueWaitS: number | undefined): void;
  /** An engine finished rendering an attempt successfully, in `seconds`. */
  rendered(engine: string, seconds: number): void;
  /** A generation reached an outcome: a terminal status, or `retried` after a transient failure. */
  finished(engine: string, outcome: 'succeeded' | 'failed' | 'cancelled' | 'retried'): void;
}

/** What a worker's handler reports for one attempt. */
export type JobOutcome = { kind: 'done' } | { kind: 'retry'; at: number };

export interface JobContext {
  /** Aborted when the job is cancelled, its lease is lost, or the worker stops. */
  signal: AbortSignal;
  /** 1 on the first claim; a crash or retry makes it grow. */
  attempt: number;
}

export type JobHandler = (generationId: string, ctx: JobContext) => Promise<JobOutcome>;

export interface JobQueue {
  enqueue(generationId: string, runAt?: number): Promise<void>;
  /** Drop a job that has not started; a running one is stopped through `abort`. */
  remove(generationId: string): Promise<void>;
  /** Abort a job running in this process, if it is here. */
  abort(generationId: string): void;
  /** Start consuming with `handler`, up to `concurrency` jobs at once. */
  start(handler: JobHandler, concurrency: number): void;
  /**
   * Stop taking jobs; running ones may finish within `graceMs` (default 0), then are
   * aborted and left for another worker to re-run.
   */
  stop(graceMs?: number): Promise<void>;
  /** Resolves when the queue's backend answers (readiness); absent when it is the store itself. */
  ping?(): Promise<void>;
  /**
   * True when the queue finds stored generations whose enqueue never landed (a sweep of
   * the store), so a submit whose enqueue failed after its rows were written still runs.
   */
  readonly rebuildsFromStore?: boolean;
}
