/**
 * At start, each model's workflow is checked against each of its servers' `/object_info`.
 * A server that answers and lacks a node type (or a bound input) stops the start with a
 * sentence naming the model, the server and the node. A server that does not answer in
 * time does not stop it: the model is listed, and the server is checked on first contact
 * (a job is then sent only to servers that can run the workflow).
 */
import type { Logger } from 'pino';
import type { OperatorModel } from '../../models/operator-model.ts';
import { workflowProblem } from './object-info.ts';
import type { ServerPool } from './server-pool.ts';

export interface StartCheckOptions {
  /** How long each server has to answer, default 5000 ms. */
  timeoutMs?: number | undefined;
  logger?: Logger | undefined;
}

/** Throws an Error naming every refusal; logs the servers that did not answer. */
export async function checkServersAtStart(models: readonly OperatorModel[], pool: ServerPool, options: StartCheckOptions = {}): Promise<void> {
  const refusals: string[] = [];
  await Promise.all(models.flatMap((model) => model.servers.map(async (url) => {
    const server = pool.server(url, model.headers);
    let info;
    try {
      info = await pool.loadObjectInfo(server, AbortSignal.timeout(options.timeoutMs ?? 5000));
    } catch (err) {
      options.logger?.warn({ model: model.id, server: url, err: (err as Error).message }, 'ComfyUI server not answering at start; its workflow is checked when it answers');
      return;
    }
    const problem = workflowProblem(model.workflow, model.bindings, info);
    if (problem) refusals.push(`model "${model.id}" cannot run on ${url}: ${problem}`);
  })));
  if (refusals.length > 0) throw new Error(`RETAKE_MODELS_FILE: ${refusals.join('; ')}`);
}
