/**
 * Runs one attempt of one generation: marks it processing, hands it to its engine with
 * progress and cancellation wired in, moves the outputs into the blob store and records
 * the outcome. Transient failures go back to the queue with backoff; everything else
 * fails the generation with its error code. A cancelled job stops at once.
 */
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Logger } from 'pino';
import { TRANSIENT_CODES, toRetakeError } from '../errors/index.ts';
import { engineFor, type EngineProgress, type EngineSet } from '../engines/index.ts';
import type { EventBus } from '../events/types.ts';
import { findModel } from '../models/index.ts';
import type { BlobStore } from '../blobs/types.ts';
import type { GenerationRow, OutputFile, Store } from '../store/types.ts';
import { ABORT_REASONS } from '../engines/types.ts';
import { inputFetcher, type InputOptions } from './inputs.ts';
import { killProcessesUsing } from './orphan-processes.ts';
import type { JobHandler, JobObserver, JobOutcome } from './types.ts';
import { completedEvent } from './event-payloads.ts';

export interface RunnerDeps {
  store: Store;
  blobs: BlobStore;
  events: EventBus;
  engines: EngineSet;
  logger: Logger;
  inputs: InputOptions;
  /** Attempts for transient failures (a crash-recovery re-run counts as one). */
  maxAttempts: number;
  blobUrl: (key: string) => string;
  /** Called once a generation reaches a terminal status (webhooks, metrics). */
  onTerminal?: (row: GenerationRow) => void;
  /** Render and queue-wait timings, retries (metrics). */
  observer?: JobObserver;
  now?: () => number;
}

/** Progress events are persisted; send at most one per interval unless the stage changes. */
const PROGRESS_INTERVAL_MS = 500;

export function createJobRunner(deps: RunnerDeps): JobHandler {
  const now = deps.now ?? Date.now;
  const { store, events } = deps;

  return async (generationId, { signal, attempt }): Promise<JobOutcome> => {
    const row = await store.generations.get(generationId);
    if (!row || row.status === 'succeeded' || row.status === 'failed' || row.status === 'cancelled') return { kind: 'done' };
    const startedAt = now();
    const started = await store.generations.transition(generationId, ['queued', 'processing'], {
      status: 'processing', started_at: row.started_at ?? startedAt, attempts: attempt, progress: 0, stage: 'starting',
    });
    if (!started) return { kind: 'done' };
    // Every line about this job carries its id, so one grep follows it across hosts.
    const log = deps.logger.child({ generation_id: row.id });
    const engineId = engineIdOf(deps.engines, row.model);
    deps.observer?.started(engineId, row.started_at === null ? (startedAt - row.enqueued_at) / 1000 : undefined);
    log.info({ engine: engineId, attempt }, 'generation started');
    await events.publish({
      key_id: row.key_id, generation_id: row.id, type: 'media_generation_started',
      data: { generation_id: row.id, status: 'processing', media_type: 'video', model: row.model, attempt },
    });

    // A cancel from another process arrives as an event on the key's channel.
    const job = new AbortController();
    const onOuterAbort = () => job.abort(signal.reason);
    signal.addEventListener('abort', onOuterAbort, { once: true });
    // A shutdown may have come while the job was being marked started: it counts too.
    if (signal.aborted) onOuterAbort();
    const unsubscribe = events.subscribe(row.key_id, (e) => {
      if (e.generation_id === row.id && e.type === 'media_generation_cancelled') job.abort(ABORT_REASONS.cancelled);
    });

    await mkdir(deps.blobs.tmpDir, { recursive: true });
    await removeEarlierAttempts(deps.blobs.tmpDir, row.id);
    const workDir = await mkdtemp(join(deps.blobs.tmpDir, `job-${row.id}-`));
    try {
      // Stopped before it began: hand it back without starting the engine.
      job.signal.throwIfAborted();
      const engine = engineFor(deps.engines, findModel(row.model));
      const progress = progressReporter(deps, row);
      const result = await engine
        .render({
          generationId: row.id,
          request: row.request,
          workDir,
          signal: job.signal,
          onProgress: progress.report,
          fetchInput: inputFetcher(deps.blobs, workDir, deps.inputs, job.signal),
          // Hosted engines keep the provider's request id here so a re-run resumes it.
          checkpoint: {
            get: async () => (await store.generations.get(row.id))?.engine_state ?? undefined,
            set: async (value) => { await store.generations.update(row.id, { engine_state: value }); },
          },
        })
        .finally(progress.flush);
      deps.observer?.rendered(engineId, (now() - startedAt) / 1000);
      const outputs: OutputFile[] = [];
      for (const out of result.outputs) {
        const key = `outputs/${row.id}/${basename(out.path)}`;
        const info = await deps.blobs.putFile(out.path, key, out.contentType);
        outputs.push({ kind: out.kind, blob: key, content_type: out.contentType, bytes: info.bytes });
      }
      const done = await store.generations.transition(row.id, ['processing'], {
        status: 'succeeded', progress: 1, stage: 'done', eta_s: 0, outputs,
        interpretation: result.interpretation ?? null, warnings: result.warnings,
        error_code: null, error_message: null, completed_at: now(),
      });
      if (done) {
        log.info({ engine: engineId, outputs: outputs.length, seconds: (now() - startedAt) / 1000 }, 'generation succeeded');
        await finish(deps, done);
      }
      return { kind: 'done' };
    } catch (err) {
      const reason: unknown = job.signal.aborted ? job.signal.reason : undefined;
      if (reason === ABORT_REASONS.cancelled) {
        log.info('generation cancelled while running');
        return { kind: 'done' };
      }
      // Shutdown or a lost lease: the job stays `processing` and runs again elsewhere.
      if (reason === ABORT_REASONS.shutdown || reason === ABORT_REASONS.leaseLost) {
        log.info({ reason }, 'generation handed back to the queue');
        return { kind: 'retry', at: now() };
      }
      const error = toRetakeError(err, 'render_failed');
      log.warn({ code: error.code, err: error.cause ?? error }, 'generation attempt failed');
      if (TRANSIENT_CODES.has(error.code) && attempt < deps.maxAttempts) {
        deps.observer?.finished(engineId, 'retried');
        const at = now() + Math.min(30_000, 1000 * 2 ** (attempt - 1));
        await store.generations.transition(row.id, ['processing'], { status: 'queued', stage: 'retrying', error_message: error.detail });
        return { kind: 'retry', at };
      }
      const failed = await store.generations.transition(row.id, ['processing'], {
        status: 'failed', stage: 'failed', error_code: error.code, error_message: error.detail, completed_at: now(),
      });
      if (failed) await finish(deps, failed);
      return { kind: 'done' };
    } finally {
      signal.removeEventListener('abort', onOuterAbort);
      unsubscribe();
      await rm(workDir, { recursive: true, force: true });
    }
  };
}

/** The id of the engine a model runs on (a metrics label), or `unknown` for a model no longer in the catalogue. */
export function engineIdOf(engines: EngineSet, model: string): string {
  try {
    return engineFor(engines, findModel(model)).id;
  } catch {
    return 'unknown';
  }
}

/**
 * This worker holds the lease now, so any earlier attempt's work directory (and any
 * process still working in it) belongs to a dead or superseded worker (a server killed
 * mid-render): remove it.
 */
async function removeEarlierAttempts(tmpDir: string, generationId: string): Promise<void> {
  const prefix = `job-${generationId}-`;
  // Their processes first, or they would write into the directory as it goes.
  await killProcessesUsing(join(tmpDir, prefix));
  for (const name of await readdir(tmpDir)) {
    if (name.startsWith(prefix)) await rm(join(tmpDir, name), { recursive: true, force: true });
  }
}

async function finish(deps: RunnerDeps, row: GenerationRow): Promise<void> {
  await deps.events.publish(completedEvent(row, deps.blobUrl));
  deps.onTerminal?.(row);
}

/** Throttled progress writes; `flush` waits for the last one so no progress event trails the result. */
function progressReporter(deps: RunnerDeps, row: GenerationRow): { report: (p: EngineProgress) => void; flush: () => Promise<unknown> } {
  const now = deps.now ?? Date.now;
  let lastAt = 0;
  let lastStage = '';
  let pending: Promise<unknown> = Promise.resolve();
  const report = (p: EngineProgress): void => {
    const t = now();
    if (p.stage === lastStage && t - lastAt < PROGRESS_INTERVAL_MS) return;
    lastAt = t;
    lastStage = p.stage;
    // Three decimals: enough for any bar, and no 0.13823581000000001 in events and rows.
    const progress = Math.round(Math.max(0, Math.min(1, p.progress)) * 1000) / 1000;
    const etaS = p.eta_s === undefined ? null : Math.round(p.eta_s * 10) / 10;
    // Chain the writes so events keep their order; a failed write only loses one update.
    pending = pending
      .then(async () => {
        const updated = await deps.store.generations.transition(row.id, ['processing'], {
          progress, stage: p.stage, eta_s: etaS,
        });
        if (!updated) return;
        await deps.events.publish({
          key_id: row.key_id, generation_id: row.id, type: 'media_generation_progress',
          data: { generation_id: row.id, progress, stage: p.stage, eta_s: etaS },
        });
      })
      .catch((err: unknown) => deps.logger.debug({ err }, 'progress update lost'));
  };
  return { report, flush: () => pending };
}
