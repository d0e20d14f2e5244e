/**
 * The stand-in ComfyUI's memory, as the real server keeps it: the pending queue (run
 * lowest number first), the one running prompt, and the history of finished prompts.
 * All of it is lost when the server goes down, as ComfyUI loses it on a restart; the
 * prompt numbers and the output counter go on.
 */
import type { Graph } from './validate-graph.ts';

export interface QueueItem {
  number: number;
  id: string;
  graph: Graph;
  clientId: string | undefined;
}

export interface RunningItem extends QueueItem {
  /** Set by `/interrupt`: the executor stops at its next check. */
  interrupted: boolean;
  /** Aborted when the server goes down (kills the FFmpeg run). */
  abort: AbortController;
}

export class QueueState {
  pending: QueueItem[] = [];
  running: RunningItem | undefined;
  history: Record<string, unknown> = {};
  /** Bumped each time the server goes down: work begun before it must not touch the state after. */
  generation = 0;
  private nextNumber = 0;
  private outputs = 0;

  /** Queue a prompt: it gets the next number. */
  enqueue(id: string, graph: Graph, clientId: string | undefined): QueueItem {
    const item = { number: this.nextNumber++, id, graph, clientId };
    this.pending.push(item);
    return item;
  }

  /** Take the next pending prompt (lowest number) as the running one. */
  start(): RunningItem | undefined {
    this.pending.sort((a, b) => a.number - b.number);
    const item = this.pending.shift();
    this.running = item && { ...item, interrupted: false, abort: new AbortController() };
    return this.running;
  }

  /** The next number for an output file name. */
  nextOutput(): number {
    return ++this.outputs;
  }

  /** The `status` payload: how many prompts remain (pending and running). */
  info(): { exec_info: { queue_remaining: number } } {
    return { exec_info: { queue_remaining: this.pending.length + (this.running ? 1 : 0) } };
  }

  /** A prompt as `/queue` and the history list it: `[number, id, graph, extra_data, outputs_to_execute]`. */
  entry(item: QueueItem): unknown[] {
    return [item.number, item.id, item.graph, { client_id: item.clientId }, []];
  }

  /** Forget the running prompt (stopping it), the queue and the history: the server went down. */
  forget(): void {
    this.generation++;
    this.running?.abort.abort();
    this.running = undefined;
    this.pending = [];
    this.history = {};
  }
}
