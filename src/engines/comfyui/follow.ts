/**
 * Follows one queued prompt to its end. The WebSocket gives progress (the node being run
 * is the stage, its step count the progress within it); `/history/{id}` is the truth
 * about the end, polled often while the socket is down and now and then while it is up.
 * A prompt that is in neither the history nor the queue (read history → queue → history,
 * so a prompt finishing between two reads is not missed) has vanished: the server
 * restarted and forgot it. "Not in the queue" alone never counts as done.
 */
import { RetakeError } from '../../errors/index.ts';
import type { ApiWorkflow } from '../../models/operator-model.ts';
import { abortableSleep } from '../provider-io/index.ts';
import type { EngineProgress } from '../types.ts';
import { ComfyUnreachable, type ComfyClient, type HistoryEntry } from './client.ts';
import { outputFiles } from './outputs.ts';
import type { ComfySocket } from './socket.ts';

export type FollowEnd = { kind: 'done'; entry: HistoryEntry } | { kind: 'vanished' } | { kind: 'interrupted' };

export interface FollowOptions {
  client: ComfyClient;
  promptId: string;
  /** The job's socket, opened (under the prompt's client id) before the prompt was queued. */
  socket: ComfySocket;
  graph: ApiWorkflow;
  outputNode: string;
  signal: AbortSignal;
  onProgress(progress: EngineProgress): void;
  /** History poll interval while the socket is down, default 1000 ms (×5 while it is up). */
  pollMs?: number | undefined;
  /** How long a server may not answer before the attempt gives up (transient), default 10 minutes. */
  unreachableMs?: number | undefined;
  /** Checks of a successful entry whose output is not listed yet, default 20 (outputs can land just after). */
  outputChecks?: number | undefined;
}

export async function followPrompt(options: FollowOptions): Promise<FollowEnd> {
  const { client, promptId, graph, signal } = options;
  const pollMs = options.pollMs ?? 1000;
  const total = Math.max(1, Object.keys(graph).length);
  const done = new Set<string>();
  let current: { node: string; fraction: number } | undefined;
  let startedAt: number | undefined;
  let shown = 0.1;
  let wake: (() => void) | undefined;
  const nudge = () => wake?.();

  const report = (stage: string): void => {
    const fraction = Math.min(1, (done.size + (current?.fraction ?? 0)) / total);
    shown = Math.max(shown, 0.1 + 0.8 * fraction);
    const elapsed = startedAt === undefined ? 0 : (Date.now() - startedAt) / 1000;
    const eta = fraction > 0.05 && elapsed > 0 ? Math.round((elapsed * (1 - fraction)) / fraction) : undefined;
    options.onProgress({ progress: shown, stage, eta_s: eta });
  };
  const idOf = (value: unknown): string | undefined => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);
  const stageOf = (node: string) => `${graph[node]?.class_type ?? 'node'} (node ${node})`;

  const { socket } = options;
  socket.listen((type, data) => {
    if (data.prompt_id !== undefined && data.prompt_id !== promptId) return;
    switch (type) {
      case 'execution_start':
        startedAt ??= Date.now();
        report('running');
        break;
      case 'execution_cached':
        for (const node of Array.isArray(data.nodes) ? data.nodes : []) done.add(String(node));
        break;
      case 'executing': {
        const node = idOf(data.node);
        if (node === undefined) {
          nudge();
          break;
        }
        startedAt ??= Date.now();
        if (current) done.add(current.node);
        current = { node, fraction: 0 };
        report(stageOf(current.node));
        break;
      }
      case 'progress': {
        const value = Number(data.value);
        const max = Number(data.max);
        const node = idOf(data.node) ?? current?.node ?? '';
        if (max > 0 && node) {
          if (current && current.node !== node) done.add(current.node);
          current = { node, fraction: Math.min(1, value / max) };
          report(`${stageOf(node)} ${value}/${max}`);
        }
        break;
      }
      case 'execution_success':
      case 'execution_error':
      case 'execution_interrupted':
        nudge();
        break;
      default:
    }
  });

  let unreachableSince: number | undefined;
  let outputChecks = options.outputChecks ?? 20;
  try {
    for (;;) {
      signal.throwIfAborted();
      try {
        const end = await check();
        unreachableSince = undefined;
        if (end) return end;
      } catch (err) {
        if (!(err instanceof ComfyUnreachable)) throw err;
        unreachableSince ??= Date.now();
        if (Date.now() - unreachableSince > (options.unreachableMs ?? 600_000)) throw err;
        options.onProgress({ progress: shown, stage: `waiting for ${client.url} to answer` });
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        abortableSleep(socket.connected ? pollMs * 5 : pollMs, signal).then(resolve, resolve);
      });
      wake = undefined;
    }
  } finally {
    socket.listen(() => undefined);
  }

  /** One look at the server: the end, or undefined to look again later. */
  async function check(): Promise<FollowEnd | undefined> {
    const entry = await client.history(promptId, signal);
    if (entry) return finished(entry);
    const queue = await client.queue(signal);
    const running = queue.queue_running.some((item) => item[1] === promptId);
    const pendingAt = queue.queue_pending
      .map((item) => ({ number: Number(item[0]), id: item[1] }))
      .sort((a, b) => a.number - b.number)
      .findIndex((item) => item.id === promptId);
    if (running || pendingAt >= 0) {
      if (pendingAt >= 0) options.onProgress({ progress: shown, stage: pendingAt > 0 ? `queued on ComfyUI (${pendingAt} ahead)` : 'queued on ComfyUI' });
      return undefined;
    }
    const again = await client.history(promptId, signal);
    return again ? finished(again) : { kind: 'vanished' };
  }

  function finished(entry: HistoryEntry): FollowEnd | undefined {
    const messages = entry.status?.messages ?? [];
    const failure = messages.find(([event]) => event === 'execution_error');
    if (failure) throw executionError(failure[1]);
    if (messages.some(([event]) => event === 'execution_interrupted')) return { kind: 'interrupted' };
    if (entry.status?.status_str === 'error') throw new RetakeError('workflow_failed', `ComfyUI reports prompt ${promptId} failed without a message`);
    if (outputFiles(entry, options.outputNode).length > 0) return { kind: 'done', entry };
    // Finished, but the output is not listed yet: look again shortly, then give up.
    if (--outputChecks <= 0) {
      throw new RetakeError('workflow_failed', `ComfyUI finished prompt ${promptId} but node ${options.outputNode} (${graph[options.outputNode]?.class_type ?? '?'}) produced no file`);
    }
    return undefined;
  }
}

/** `execution_error` → a failed generation naming ComfyUI's message and the node. */
export function executionError(data: Record<string, unknown>): RetakeError {
  const node = typeof data.node_id === 'string' || typeof data.node_id === 'number' ? String(data.node_id) : '?';
  const type = typeof data.node_type === 'string' ? data.node_type : 'node';
  const message = typeof data.exception_message === 'string' ? data.exception_message.trim() : 'no message';
  const exception = typeof data.exception_type === 'string' ? `${data.exception_type}: ` : '';
  return new RetakeError('workflow_failed', `ComfyUI failed at node ${node} (${type}): ${exception}${message}`);
}
