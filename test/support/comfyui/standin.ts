/**
 * A stand-in ComfyUI server on 127.0.0.1, for tests without a GPU. It speaks ComfyUI's
 * HTTP and WebSocket protocol (every route also under `/api/`) and is as strict as the
 * real one where retake could go wrong: a graph with an unknown node type, a missing
 * required input, a bad link or one of the wrong type, or an input file that was never
 * uploaded is refused with ComfyUI's 400 and `node_errors`. It "executes" a graph by
 * running FFmpeg over the uploaded video at the graph's size, frame count and frame
 * rate, sends ComfyUI's events to the submitting client id only, and lists the output as
 * core `SaveVideo` does (`images` + `animated`) or as VideoHelperSuite does (`gifs`).
 * Tests script holds, failures, a dropped socket, going down and a restart that forgets
 * the history.
 *
 * This file puts the server together and owns its life (up, down, restart); the parts
 * are routes.ts (HTTP), socket-events.ts (WebSocket), executor.ts (running prompts) and
 * queue-state.ts (queue, running prompt, history).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import { createExecutor, type ComfyScript } from './executor.ts';
import { QueueState } from './queue-state.ts';
import { registerRoutes, type RouteRecords } from './routes.ts';
import { SocketEvents } from './socket-events.ts';

export type { ComfyScript } from './executor.ts';

export type Submission = RouteRecords['submissions'][number];

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

export async function startComfyStandin(options: { token?: string; port?: number } = {}): Promise<ComfyStandin> {
  const root = await mkdtemp(join(tmpdir(), 'comfy-standin-'));
  const inputDir = join(root, 'input');
  const outputDir = join(root, 'output');
  await mkdir(inputDir, { recursive: true });
  await mkdir(outputDir, { recursive: true });

  const script: ComfyScript = { holdQueue: false, holdRunning: false, failNode: undefined, dropSocketsOnce: false, stepMs: 20 };
  const queue = new QueueState();
  let app: FastifyInstance | undefined;
  let port = options.port ?? 0;

  const standin: ComfyStandin = {
    url: '', script, submissions: [], sent: [], uploads: [], deletes: [], interrupts: [], completed: [], requests: { let_in: [], refused: [] },
    async down() {
      events.closeAll();
      queue.forget();
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
    runningId: () => queue.running?.id,
    pendingIds: () => queue.pending.map((p) => p.id),
    async close() {
      await standin.down();
      events.close();
      await rm(root, { recursive: true, force: true });
    },
  };
  const events = new SocketEvents(standin.sent);
  const { pump } = createExecutor({ queue, events, script, completed: standin.completed, inputDir, outputDir, up: () => app !== undefined });

  /** Whether a request carries the token (when one is set); recorded either way. */
  const allowed = (method: string, path: string, authorization: string | undefined): boolean => {
    const ok = !options.token || authorization === `Bearer ${options.token}`;
    (ok ? standin.requests.let_in : standin.requests.refused).push(`${method} ${path}`);
    return ok;
  };

  async function listen(): Promise<FastifyInstance> {
    const server = Fastify({ bodyLimit: 100 * 1024 * 1024 });
    await server.register(multipart, { limits: { fileSize: 100 * 1024 * 1024 } });
    server.addHook('onRequest', async (req, reply) => {
      if (!allowed(req.method, new URL(req.url, 'http://x').pathname, req.headers.authorization)) await reply.code(401).send('401: Unauthorized');
    });
    server.server.on('upgrade', (req, socket, head) => {
      events.upgrade(req, socket, head, (path, authorization) => allowed('WS', path, authorization), () => queue.info());
    });
    for (const prefix of ['', '/api']) registerRoutes(server, prefix, { queue, records: standin, inputDir, outputDir, pump });
    await server.listen({ host: '127.0.0.1', port });
    port = (server.server.address() as { port: number }).port;
    standin.url = `http://127.0.0.1:${port}`;
    return server;
  }

  app = await listen();
  return standin;
}
