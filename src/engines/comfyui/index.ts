/**
 * The `comfyui` engine: an operator's ComfyUI workflow as a retake model. One engine per
 * declared model (its workflow, bindings and servers); the servers are shared by every
 * model that names them. A render resumes the prompt an earlier attempt checkpointed,
 * or picks a server and queues a new one; follows it to the end; queues it once more
 * (with a warning) when the server lost it in a restart; downloads the output. A user's
 * cancel reaches ComfyUI: a pending prompt is deleted from the queue, a running one
 * interrupted by its id.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import { RetakeError } from '../../errors/index.ts';
import type { OperatorModel } from '../../models/operator-model.ts';
import { abortableSleep, isUserCancel } from '../provider-io/index.ts';
import type { Engine, EngineJob, EngineResult } from '../types.ts';
import { ComfyUnreachable, type ComfyClient, type HistoryEntry } from './client.ts';
import { followPrompt } from './follow.ts';
import type { ComfyInterpretation } from './interpretation.ts';
import { workflowProblem } from './object-info.ts';
import { outputFiles, outputType } from './outputs.ts';
import { createServerPool, NoServerCanRun, type ComfyServer, type ServerPool } from './server-pool.ts';
import { openComfySocket } from './socket.ts';
import { clientIdOf, resumedState, submitPrompt, wasSent, type ComfyState } from './submit.ts';

/** How long a new job waits for its socket before queuing anyway (progress then starts later). */
const SOCKET_WAIT_MS = 3000;

export { checkServersAtStart } from './start-check.ts';
export { createServerPool, type ServerPool } from './server-pool.ts';

export interface ComfyEngineOptions {
  /** History poll interval while the socket is down, default 1000 ms. */
  pollMs?: number | undefined;
  /** A server that does not answer for this long fails the attempt (it is retried), default 10 minutes. */
  unreachableMs?: number | undefined;
  /** Timeout of each small HTTP call, default 10000 ms. */
  clientTimeoutMs?: number | undefined;
  logger?: Logger | undefined;
}

/** The sentence a generation carries when its prompt had to be queued again. */
export const RESUBMITTED_WARNING = 'The ComfyUI server lost this prompt (it restarted, or the first submission never arrived), so it was queued once more.';

/** One engine per model, by model id, over one shared server pool. */
export function createComfyEngines(models: readonly OperatorModel[], options: ComfyEngineOptions = {}, pool = createServerPool(options.clientTimeoutMs)): Map<string, Engine> {
  return new Map(models.map((model) => [model.id, createComfyEngine(model, pool, options)]));
}

export function createComfyEngine(model: OperatorModel, pool: ServerPool, options: ComfyEngineOptions = {}): Engine {
  const retryDownMs = model.retry_down_s * 1000;
  const refuses = (server: ComfyServer) => (server.objectInfo ? workflowProblem(model.workflow, model.bindings, server.objectInfo) : undefined);

  async function acquire(job: EngineJob): Promise<ComfyServer> {
    try {
      return await pool.acquire({
        urls: model.servers, headers: model.headers, maxInFlight: model.max_in_flight, retryDownMs, refuses,
        signal: job.signal, downForMs: options.unreachableMs,
        onWait: (stage) => job.onProgress({ progress: 0.01, stage }),
      });
    } catch (err) {
      if (err instanceof NoServerCanRun) throw new RetakeError('workflow_failed', `No ComfyUI server of model ${model.id} can run its workflow: ${err.message}`);
      if (err instanceof ComfyUnreachable) throw new RetakeError('engine_unavailable', err.message, { cause: err });
      throw err;
    }
  }

  return {
    id: 'comfyui',
    async render(job): Promise<EngineResult> {
      let state = await resumedState(job);
      const server = state ? pool.server(state.server, model.headers) : await acquire(job);
      if (state) pool.attach(server);
      const warnings: string[] = [];
      // Open before the prompt is queued: ComfyUI sends its events only to a connected client.
      const socket = openComfySocket(server.client.url, state?.client_id ?? clientIdOf(job), { headers: model.headers });
      try {
        if (!state) {
          await socket.opened(SOCKET_WAIT_MS);
          const submitted = await submitPrompt({ model, client: server.client, job, resubmitted: false });
          state = submitted.state;
          warnings.push(...submitted.warnings);
        }
        for (;;) {
          const end = await followPrompt({
            client: server.client, promptId: state.prompt_id, socket, graph: state.graph,
            outputNode: model.bindings.output.node, signal: job.signal, onProgress: (p) => job.onProgress(p),
            pollMs: options.pollMs, unreachableMs: options.unreachableMs,
          });
          if (end.kind === 'done') {
            if (state.resubmitted) warnings.push(RESUBMITTED_WARNING);
            return await finish(job, server.client, state, { entry: end.entry, outputNode: model.bindings.output.node }, warnings);
          }
          if (end.kind === 'interrupted') {
            job.signal.throwIfAborted();
            throw new RetakeError('workflow_failed', `The prompt was interrupted on the ComfyUI server ${server.client.url} (someone pressed cancel there)`);
          }
          if (!wasSent(state)) {
            // An earlier attempt stopped between its checkpoint and the POST: the prompt
            // never reached the server, so this is its first sending, not a loss.
            const first = await submitPrompt({ model, client: server.client, job, seed: state.seed, resubmitted: state.resubmitted });
            state = first.state;
            warnings.push(...first.warnings);
            continue;
          }
          if (state.resubmitted) {
            throw new RetakeError('workflow_failed', `The ComfyUI server ${server.client.url} lost this prompt twice (it restarted, or forgot it, after it was queued a second time); it is not queued a third time`);
          }
          options.logger?.warn({ generation_id: job.generationId, server: server.client.url, prompt_id: state.prompt_id }, 'ComfyUI lost the prompt; queuing it once more');
          const again = await submitPrompt({ model, client: server.client, job, seed: state.seed, resubmitted: true });
          state = again.state;
        }
      } catch (err) {
        if (isUserCancel(job.signal)) {
          // A cancel can land while /prompt is still being answered: the prompt id was
          // checkpointed before the POST, so it is known even when `state` is not set yet.
          const promptId = state?.prompt_id ?? (await resumedState(job).catch(() => undefined))?.prompt_id;
          if (promptId) await cancelAt(server.client, promptId);
        }
        if (err instanceof ComfyUnreachable) {
          pool.markDown(server, err.message, retryDownMs);
          throw new RetakeError('engine_unavailable', err.message, { cause: err });
        }
        throw err;
      } finally {
        socket.close();
        pool.release(server);
      }
    },
  };
}

/** Download the output node's video into the work directory (it may appear on disk just after the end). */
async function finish(job: EngineJob, client: ComfyClient, state: ComfyState, end: { entry: HistoryEntry; outputNode: string }, warnings: string[]): Promise<EngineResult> {
  job.onProgress({ progress: 0.92, stage: 'downloading' });
  // followPrompt answers `done` only once the output node lists a file.
  const chosen = outputFiles(end.entry, end.outputNode)[0]!;
  const ext = /\.([a-z0-9]+)$/i.exec(chosen.filename)?.[1]?.toLowerCase() ?? 'mp4';
  const dest = join(job.workDir, `video.${ext}`);
  for (let attempt = 1; ; attempt++) {
    try {
      await client.download(chosen, dest, job.signal);
      break;
    } catch (err) {
      if (job.signal.aborted || attempt >= 5) throw err;
      await abortableSleep(250 * 2 ** attempt, job.signal);
    }
  }
  const interpretation: ComfyInterpretation = { engine: 'comfyui', provider_request_id: state.prompt_id, server: client.url, seed: state.seed };
  return { outputs: [{ kind: 'video', path: dest, contentType: outputType(chosen.filename) }], warnings, interpretation };
}

/** Best effort: delete the prompt when it is pending, interrupt it when it is the one running. */
async function cancelAt(client: ComfyClient, promptId: string): Promise<void> {
  try {
    const queue = await client.queue();
    if (queue.queue_pending.some((item) => item[1] === promptId)) await client.deletePending(promptId);
    else if (queue.queue_running.some((item) => item[1] === promptId)) await client.interrupt(promptId);
  } catch {
    // The server is gone: nothing runs there to stop.
  }
}
