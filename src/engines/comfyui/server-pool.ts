/**
 * The ComfyUI servers of this process, shared by every model that names them: which are
 * answering, how many of this process's prompts each has in flight, and which one a new
 * job goes to — the answering server, under its in-flight limit, with the shortest
 * `/queue` (running + pending). A server that does not answer `/system_stats` (or any
 * call) is out of rotation until `retry_down_s` has passed, then probed again. Each
 * server's `/object_info` is read once, on first contact, to check workflows against it.
 */
import { abortableSleep } from '../provider-io/index.ts';
import { comfyClient, ComfyUnreachable, type ComfyClient } from './client.ts';
import type { ObjectInfo } from './object-info.ts';

export interface ComfyServer {
  client: ComfyClient;
  /** Prompts of this process on it now. */
  inFlight: number;
  /** Out of rotation until this time (ms); 0 when answering. */
  downUntil: number;
  downReason: string | undefined;
  objectInfo: ObjectInfo | undefined;
}

export interface PickOptions {
  urls: readonly string[];
  headers: Record<string, string>;
  maxInFlight: number;
  retryDownMs: number;
  /** Why this server cannot run the model's workflow, if it cannot (checked against its object info). */
  refuses(server: ComfyServer): string | undefined;
  signal: AbortSignal;
  /** Called while every server is busy or down. */
  onWait(reason: string): void;
  /** Give up (engine_unavailable) after every server has been down this long; default 10 minutes. */
  downForMs?: number | undefined;
}

export class NoServerCanRun extends Error {}

export interface ServerPool {
  server(url: string, headers: Record<string, string>): ComfyServer;
  markDown(server: ComfyServer, reason: string, retryDownMs: number): void;
  /** Choose a server and count the job on it; `release` when done. */
  acquire(options: PickOptions): Promise<ComfyServer>;
  /** Count a job followed on a known server (a resumed job) on it. */
  attach(server: ComfyServer): void;
  release(server: ComfyServer): void;
  /** Read the server's object info if not yet known; throws ComfyUnreachable. */
  loadObjectInfo(server: ComfyServer, signal?: AbortSignal): Promise<ObjectInfo>;
}

export function createServerPool(clientTimeoutMs?: number): ServerPool {
  const servers = new Map<string, ComfyServer>();

  const pool: ServerPool = {
    server(url, headers) {
      let s = servers.get(url);
      if (!s) {
        s = { client: comfyClient(url, { headers, timeoutMs: clientTimeoutMs }), inFlight: 0, downUntil: 0, downReason: undefined, objectInfo: undefined };
        servers.set(url, s);
      }
      return s;
    },
    markDown(server, reason, retryDownMs) {
      server.downUntil = Date.now() + retryDownMs;
      server.downReason = reason;
    },
    async loadObjectInfo(server, signal) {
      server.objectInfo ??= (await server.client.objectInfo(signal)) as ObjectInfo;
      return server.objectInfo;
    },
    attach(server) {
      server.inFlight++;
    },
    release(server) {
      server.inFlight = Math.max(0, server.inFlight - 1);
    },
    async acquire(options) {
      const all = options.urls.map((url) => pool.server(url, options.headers));
      let allDownSince: number | undefined;
      for (let wait = 100; ; wait = Math.min(2000, wait * 2)) {
        options.signal.throwIfAborted();
        const now = Date.now();
        const probed = await Promise.all(all.filter((s) => s.downUntil <= now).map((s) => probe(s, options)));
        const refusals = all.map((s) => (s.objectInfo ? options.refuses(s) : undefined)).filter((r): r is string => r !== undefined);
        if (refusals.length === all.length) throw new NoServerCanRun(refusals.join('; '));
        const ready = probed.filter((p): p is Probed => p !== undefined && options.refuses(p.server) === undefined);
        // Chosen synchronously after the awaits: two jobs never both take a server's last slot.
        const free = ready.filter((p) => p.server.inFlight < options.maxInFlight)
          .sort((a, b) => a.queued - b.queued || a.server.inFlight - b.server.inFlight);
        const chosen = free[0];
        if (chosen) {
          chosen.server.inFlight++;
          return chosen.server;
        }
        if (ready.length === 0) {
          allDownSince ??= now;
          if (now - allDownSince > (options.downForMs ?? 600_000)) {
            throw new ComfyUnreachable(`no ComfyUI server answered: ${all.map((s) => s.downReason ?? s.client.url).join('; ')}`);
          }
          options.onWait('waiting for a ComfyUI server to answer');
        } else {
          allDownSince = undefined;
          options.onWait('waiting for a free ComfyUI server');
        }
        await abortableSleep(wait, options.signal);
      }
    },
  };

  interface Probed { server: ComfyServer; queued: number }

  /** Health (`/system_stats`), the queue length and, on first contact, the object info. */
  async function probe(server: ComfyServer, options: PickOptions): Promise<Probed | undefined> {
    try {
      await server.client.systemStats(options.signal);
      await pool.loadObjectInfo(server, options.signal);
      const queue = await server.client.queue(options.signal);
      server.downUntil = 0;
      server.downReason = undefined;
      return { server, queued: queue.queue_running.length + queue.queue_pending.length };
    } catch (err) {
      if (options.signal.aborted) throw err;
      pool.markDown(server, err instanceof Error ? err.message : String(err), options.retryDownMs);
      return undefined;
    }
  }

  return pool;
}
