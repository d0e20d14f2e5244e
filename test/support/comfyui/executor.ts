/**
 * The stand-in's executor: runs one prompt at a time, lowest number first, node by node
 * in ComfyUI's order, sending ComfyUI's events to the client that queued it
 * (`execution_start`, `executing`, `progress` per sampler step with a binary preview,
 * `executed` with an output node's files, `execution_success`, `execution_error`,
 * `execution_interrupted`, and `executing` with `node: null` at the end), and writes
 * the history entry. An output node's video is made by FFmpeg (render-output.ts). The
 * test's script holds, fails or drops sockets; work from before the server went down
 * leaves no trace after it.
 */
import { OBJECT_INFO } from './object-info.ts';
import { executionPlan } from './plan.ts';
import type { QueueState, RunningItem } from './queue-state.ts';
import { renderOutput } from './render-output.ts';
import type { SocketEvents } from './socket-events.ts';

/** What a test can script on a stand-in. */
export interface ComfyScript {
  /** Keep every prompt pending until set back to false. */
  holdQueue: boolean;
  /** Pause a running prompt after the sampler's first step until set back to false. */
  holdRunning: boolean;
  /** Fail at this node id with an `execution_error`. */
  failNode: string | undefined;
  /** Close every socket once, right after the sampler's first progress event. */
  dropSocketsOnce: boolean;
  /** Delay between sampler steps, default 20 ms. */
  stepMs: number;
}

export interface ExecutorContext {
  queue: QueueState;
  events: SocketEvents;
  script: ComfyScript;
  /** Prompts run to the end are added here. */
  completed: string[];
  inputDir: string;
  outputDir: string;
  /** Whether the server is up (a prompt does not start while it is down). */
  up: () => boolean;
}

const RECORDED = ['execution_start', 'execution_cached', 'execution_success', 'execution_error', 'execution_interrupted'];

/** The executor's `pump`: run the next pending prompt when nothing runs. */
export function createExecutor(ctx: ExecutorContext): { pump: () => void } {
  const { queue, events, script } = ctx;

  function pump(): void {
    if (queue.running || script.holdQueue || queue.pending.length === 0 || !ctx.up()) return;
    const mine = queue.start()!;
    const at = queue.generation;
    void execute(mine).finally(() => {
      if (queue.generation !== at) return;
      queue.running = undefined;
      pump();
    });
  }

  async function execute(item: RunningItem): Promise<void> {
    const sid = item.clientId;
    const at = queue.generation;
    const alive = () => queue.generation === at;
    const messages: [string, Record<string, unknown>][] = [];
    const event = (type: string, data: Record<string, unknown>) => {
      const stamped = { ...data, prompt_id: item.id, timestamp: Date.now() };
      if (RECORDED.includes(type)) messages.push([type, stamped]);
      if (alive()) events.send(type, stamped, sid);
    };
    const end = (status: 'success' | 'error', outputs: Record<string, unknown>) => {
      if (!alive()) return;
      queue.history[item.id] = { prompt: queue.entry(item), outputs, status: { status_str: status, completed: status === 'success', messages }, meta: {} };
      if (status === 'success') ctx.completed.push(item.id);
      events.send('executing', { node: null, prompt_id: item.id }, sid);
      events.send('status', { status: queue.info() }, undefined);
    };
    event('execution_start', {});
    const plan = executionPlan(item.graph);
    const executed: string[] = [];
    const outputs: Record<string, unknown> = {};
    for (const node of plan) {
      if (!alive()) return;
      const classType = item.graph[node]!.class_type;
      event('executing', { node, display_node: node });
      if (script.failNode === node) {
        event('execution_error', {
          node_id: node, node_type: classType, executed, exception_message: 'Allocation on device 0 would exceed allowed memory. (out of memory)',
          exception_type: 'torch.OutOfMemoryError', traceback: [], current_inputs: {}, current_outputs: {},
        });
        end('error', outputs);
        return;
      }
      if (classType === 'KSampler') {
        const steps = Number(item.graph[node]!.inputs.steps ?? 1);
        for (let step = 1; step <= steps; step++) {
          await sleep(script.stepMs);
          if (!alive()) return;
          event('progress', { value: step, max: steps, node });
          events.preview(sid, Buffer.from([0, 0, 0, 1, 0, 0, 0, 2]));
          if (step === 1 && script.dropSocketsOnce) {
            script.dropSocketsOnce = false;
            events.drop();
          }
          while (step === 1 && script.holdRunning && !item.interrupted && alive()) await sleep(10);
          if (item.interrupted) {
            event('execution_interrupted', { node_id: node, node_type: classType, executed });
            end('error', outputs);
            return;
          }
        }
      }
      if (OBJECT_INFO[classType]?.output_node) {
        const ui = await renderOutput({ graph: item.graph, node, inputDir: ctx.inputDir, outputDir: ctx.outputDir, counter: queue.nextOutput(), signal: item.abort.signal }).catch((err: unknown) => {
          if (alive()) throw err;
          return undefined;
        });
        if (!ui) return;
        outputs[node] = ui;
        event('executed', { node, display_node: node, output: ui });
      }
      executed.push(node);
    }
    event('execution_success', {});
    end('success', outputs);
  }

  return { pump };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
