/**
 * A stand-in ComfyUI server on 127.0.0.1, for tests without a GPU. It speaks ComfyUI's
 * HTTP and WebSocket protocol (every route also under `/api/`) and is as strict as the
 * real one where retake could go wrong: a graph with an unknown node type, a missing
 * required input, a bad link or an input file that was never uploaded is refused with
 * ComfyUI's 400 and `node_errors`. It "executes" a graph by running FFmpeg over the
 * uploaded video at the graph's size, frame count and frame rate, sends ComfyUI's events
 * to the submitting client id only, and lists the output as core `SaveVideo` does
 * (`images` + `animated`) or as VideoHelperSuite does (`gifs`). Tests script holds,
 * failures, a dropped socket, going down and a restart that forgets the history.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import { WebSocketServer, type WebSocket } from 'ws';
import { OBJECT_INFO } from './object-info.ts';
import { validateGraph, type Graph } from './validate-graph.ts';
import { executionPlan } from './plan.ts';
import { renderOutput } from './render-output.ts';

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

export interface Submission {
  prompt_id: string;
  client_id: string | undefined;
  graph: Graph;
}

export interface ComfyStandin {
  url: string;
  script: ComfyScript;
  /** Every accepted `/prompt`, in order (kept across restarts). */
  submissions: Submission[];
  /** Every event sent over a socket: `[type, data]`. */
  sent: [string, Record<string, unknown>][];
  uploads: string[];
  deletes: string[];
  interrupts: string[];
  /** Prompts the stand-in ran to the end (kept across restarts). */
  completed: string[];
  /** Every request it let in, as `METHOD /path` (a socket as `WS /ws`), and every one it refused for want of the token. */
  requests: { let_in: string[]; refused: string[] };
  /** Stop answering (connections refused) and lose the running prompt, queue and history. */
  down(): Promise<void>;
  up(): Promise<void>;
  /** Down, then up: a ComfyUI restart (files on disk stay). */
  restart(): Promise<void>;
  runningId(): string | undefined;
  pendingIds(): string[];
  close(): Promise<void>;
}

interface QueueItem { number: number; id: string; graph: Graph; clientId: string | undefined }

export async function startComfyStandin(options: { token?: string; port?: number } = {}): Promise<ComfyStandin> {
  const root = await mkdtemp(join(tmpdir(), 'comfy-standin-'));
  const inputDir = join(root, 'input');
  const outputDir = join(root, 'output');
  await mkdir(inputDir, { recursive: true });
  await mkdir(outputDir, { recursive: true });

  const script: ComfyScript = { holdQueue: false, holdRunning: false, failNode: undefined, dropSocketsOnce: false, stepMs: 20 };
  let pending: QueueItem[] = [];
  let running: (QueueItem & { interrupted: boolean; abort: AbortController }) | undefined;
  let history: Record<string, unknown> = {};
  let number = 0;
  let outputCounter = 0;
  const sockets = new Map<string, WebSocket>();
  const wss = new WebSocketServer({ noServer: true });
  let app: FastifyInstance | undefined;
  let port = options.port ?? 0;
  let generation = 0;

  const standin: ComfyStandin = {
    url: '', script, submissions: [], sent: [], uploads: [], deletes: [], interrupts: [], completed: [], requests: { let_in: [], refused: [] },
    async down() {
      generation++;
      for (const ws of sockets.values()) ws.terminate();
      sockets.clear();
      running?.abort.abort();
      running = undefined;
      pending = [];
      history = {};
      await app?.close();
      app = undefined;
    },
    async up() {
      app = await listen();
    },
    async restart() {
      await standin.down();
      await standin.up();
    },
    runningId: () => running?.id,
    pendingIds: () => pending.map((p) => p.id),
    async close() {
      await standin.down();
      wss.close();
      await rm(root, { recursive: true, force: true });
    },
  };

  const send = (type: string, data: Record<string, unknown>, sid: string | undefined): void => {
    standin.sent.push([type, data]);
    const ws = sid ? sockets.get(sid) : undefined;
    if (ws && ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type, data }));
  };
  const queueInfo = () => ({ exec_info: { queue_remaining: pending.length + (running ? 1 : 0) } });
  const queueEntry = (item: QueueItem) => [item.number, item.id, item.graph, { client_id: item.clientId }, []];

  async function listen(): Promise<FastifyInstance> {
    const server = Fastify({ bodyLimit: 100 * 1024 * 1024 });
    await server.register(multipart, { limits: { fileSize: 100 * 1024 * 1024 } });
    const allowed = (method: string, path: string, authorization: string | undefined): boolean => {
      const ok = !options.token || authorization === `Bearer ${options.token}`;
      (ok ? standin.requests.let_in : standin.requests.refused).push(`${method} ${path}`);
      return ok;
    };
    server.addHook('onRequest', async (req, reply) => {
      if (!allowed(req.method, new URL(req.url, 'http://x').pathname, req.headers.authorization)) await reply.code(401).send('401: Unauthorized');
    });
    server.server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (!/^\/(api\/)?ws$/.test(url.pathname) || !allowed('WS', url.pathname, req.headers.authorization)) {
        socket.destroy();
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        const sid = url.searchParams.get('clientId') || randomUUID().replaceAll('-', '');
        sockets.get(sid)?.terminate();
        sockets.set(sid, ws);
        ws.on('close', () => {
          if (sockets.get(sid) === ws) sockets.delete(sid);
        });
        ws.send(JSON.stringify({ type: 'status', data: { status: queueInfo(), sid } }));
      });
    });
    for (const prefix of ['', '/api']) routes(server, prefix);
    await server.listen({ host: '127.0.0.1', port });
    port = (server.server.address() as { port: number }).port;
    standin.url = `http://127.0.0.1:${port}`;
    return server;
  }

  function routes(server: FastifyInstance, p: string): void {
    server.get(`${p}/object_info`, async () => OBJECT_INFO);
    server.get(`${p}/system_stats`, async () => ({
      system: { os: 'posix', comfyui_version: 'stand-in' },
      devices: [{ name: 'stand-in GPU', type: 'cuda', index: 0, vram_total: 24e9, vram_free: 20e9 }],
    }));
    server.get(`${p}/queue`, async () => ({
      queue_running: running ? [queueEntry(running)] : [],
      queue_pending: pending.map(queueEntry),
    }));
    server.get<{ Params: { id: string } }>(`${p}/history/:id`, async (req) => {
      const entry = history[req.params.id];
      return entry ? { [req.params.id]: entry } : {};
    });
    server.post<{ Body: { prompt?: Graph; client_id?: string; prompt_id?: string } }>(`${p}/prompt`, async (req, reply) => {
      const body = req.body;
      if (!body.prompt) return reply.code(400).send({ error: { type: 'no_prompt', message: 'No prompt provided', details: 'No prompt provided', extra_info: {} }, node_errors: {} });
      const problem = await validateGraph(body.prompt, OBJECT_INFO, inputDir);
      if (problem) return reply.code(400).send(problem);
      const id = String(body.prompt_id ?? randomUUID());
      const item = { number: number++, id, graph: body.prompt, clientId: body.client_id };
      standin.submissions.push({ prompt_id: id, client_id: body.client_id, graph: structuredClone(body.prompt) });
      pending.push(item);
      queueMicrotask(pump);
      return { prompt_id: id, number: item.number, node_errors: {} };
    });
    server.post<{ Body: { delete?: string[]; clear?: boolean } }>(`${p}/queue`, async (req) => {
      for (const id of req.body.delete ?? []) {
        standin.deletes.push(id);
        pending = pending.filter((item) => item.id !== id);
      }
      if (req.body.clear) pending = [];
      return '';
    });
    server.post<{ Body: { prompt_id?: string } | undefined }>(`${p}/interrupt`, async (req) => {
      const id = req.body?.prompt_id;
      standin.interrupts.push(id ?? '*');
      if (running && (id === undefined || running.id === id)) running.interrupted = true;
      return '';
    });
    server.post(`${p}/upload/image`, async (req, reply) => {
      const fields: Record<string, string> = {};
      let file: { name: string; data: Buffer } | undefined;
      for await (const part of req.parts()) {
        if (part.type === 'file') file = { name: part.filename, data: await part.toBuffer() };
        else fields[part.fieldname] = String(part.value);
      }
      if (!file?.name) return reply.code(400).send();
      const dir = join(fields.type === 'output' ? outputDir : inputDir, normalize(fields.subfolder ?? ''));
      if (!dir.startsWith(fields.type === 'output' ? outputDir : inputDir)) return reply.code(400).send();
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, file.name), file.data);
      standin.uploads.push(fields.subfolder ? `${fields.subfolder}/${file.name}` : file.name);
      return { name: file.name, subfolder: fields.subfolder ?? '', type: fields.type ?? 'input' };
    });
    server.get<{ Querystring: { filename?: string; subfolder?: string; type?: string } }>(`${p}/view`, async (req, reply) => {
      const base = req.query.type === 'input' ? inputDir : outputDir;
      const path = join(base, normalize(req.query.subfolder ?? ''), req.query.filename ?? '');
      if (!path.startsWith(base) || !(await stat(path).then((s) => s.isFile(), () => false))) return reply.code(404).send();
      const { createReadStream } = await import('node:fs');
      return reply.type('video/mp4').send(createReadStream(path));
    });
  }

  /** Run the next pending prompt when nothing runs (one at a time, lowest number first). */
  function pump(): void {
    if (running || script.holdQueue || pending.length === 0 || !app) return;
    pending.sort((a, b) => a.number - b.number);
    const item = pending.shift()!;
    running = { ...item, interrupted: false, abort: new AbortController() };
    const mine = running;
    const at = generation;
    void execute(mine).finally(() => {
      if (generation !== at) return;
      running = undefined;
      pump();
    });
  }

  async function execute(item: QueueItem & { interrupted: boolean; abort: AbortController }): Promise<void> {
    const sid = item.clientId;
    const at = generation;
    const alive = () => generation === at;
    const messages: [string, Record<string, unknown>][] = [];
    const event = (type: string, data: Record<string, unknown>) => {
      const stamped = { ...data, prompt_id: item.id, timestamp: Date.now() };
      if (['execution_start', 'execution_cached', 'execution_success', 'execution_error', 'execution_interrupted'].includes(type)) messages.push([type, stamped]);
      if (alive()) send(type, stamped, sid);
    };
    const end = (status: 'success' | 'error', outputs: Record<string, unknown>) => {
      if (!alive()) return;
      history[item.id] = { prompt: queueEntry(item), outputs, status: { status_str: status, completed: status === 'success', messages }, meta: {} };
      if (status === 'success') standin.completed.push(item.id);
      send('executing', { node: null, prompt_id: item.id }, sid);
      send('status', { status: queueInfo() }, undefined);
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
          if (sid && sockets.get(sid)?.readyState === 1) sockets.get(sid)!.send(Buffer.from([0, 0, 0, 1, 0, 0, 0, 2]));
          if (step === 1 && script.dropSocketsOnce) {
            script.dropSocketsOnce = false;
            for (const ws of sockets.values()) ws.terminate();
          }
          while (step === 1 && script.holdRunning && !item.interrupted && alive()) await sleep(10);
          if (item.interrupted) {
            event('execution_interrupted', { node_id: node, node_type: classType, executed });
            end('error', outputs);
            return;
          }
        }
      }
      const info = OBJECT_INFO[classType];
      if (info?.output_node) {
        const ui = await renderOutput({ graph: item.graph, node, inputDir, outputDir, counter: ++outputCounter, signal: item.abort.signal }).catch((err: unknown) => {
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

  app = await listen();
  return standin;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
