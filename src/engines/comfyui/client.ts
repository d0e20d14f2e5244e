/**
 * The HTTP calls retake makes to one ComfyUI server, as ComfyUI's `server.py` defines
 * them: upload an input, queue a prompt under a chosen id, read the queue and a prompt's
 * history, delete a pending prompt, interrupt a running one, download an output, and
 * the two start-up reads (`/object_info`, `/system_stats`). Every call carries the
 * operator's headers (a reverse proxy's token) and gives up after a timeout; a server
 * that cannot be reached throws `ComfyUnreachable` so the pool can take it out.
 */
import { createWriteStream, openAsBlob } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { ApiWorkflow } from '../../models/operator-model.ts';

/** The server could not be reached, or answered a 5xx: try again later or elsewhere. */
export class ComfyUnreachable extends Error {}

/** ComfyUI refused the graph (400 with `node_errors`). */
export class ComfyRejected extends Error {
  constructor(message: string, readonly nodeErrors: Record<string, unknown>) {
    super(message);
  }
}

/** A queue entry: `[number, prompt_id, prompt, extra_data, outputs_to_execute]`. */
export interface ComfyQueue {
  queue_running: unknown[][];
  queue_pending: unknown[][];
}

/** A finished prompt in `/history/{id}`. */
export interface HistoryEntry {
  outputs: Record<string, Record<string, unknown>>;
  status?: { status_str?: string; completed?: boolean; messages?: [string, Record<string, unknown>][] } | null;
}

export interface ComfyClient {
  readonly url: string;
  readonly headers: Record<string, string>;
  upload(path: string, name: string, signal: AbortSignal): Promise<string>;
  submit(promptId: string, clientId: string, prompt: ApiWorkflow, signal: AbortSignal): Promise<void>;
  queue(signal?: AbortSignal): Promise<ComfyQueue>;
  history(promptId: string, signal?: AbortSignal): Promise<HistoryEntry | undefined>;
  deletePending(promptId: string): Promise<void>;
  interrupt(promptId: string): Promise<void>;
  download(file: { filename: string; subfolder?: string; type?: string }, dest: string, signal: AbortSignal): Promise<void>;
  objectInfo(signal?: AbortSignal): Promise<Record<string, { input?: Record<string, Record<string, unknown>> }>>;
  systemStats(signal?: AbortSignal): Promise<unknown>;
}

/** Uploads go into this subfolder of ComfyUI's input directory, named by generation. */
export const UPLOAD_SUBFOLDER = 'retake';

export interface ClientOptions {
  headers?: Record<string, string> | undefined;
  /** Longest wait for a small call, default 10000 ms (uploads and downloads have none). */
  timeoutMs?: number | undefined;
}

export function comfyClient(url: string, options: ClientOptions = {}): ComfyClient {
  const headers = options.headers ?? {};
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function call(path: string, init: RequestInit & { timeout?: boolean } = {}): Promise<Response> {
    const signals = [init.signal, init.timeout === false ? undefined : AbortSignal.timeout(timeoutMs)].filter((s): s is AbortSignal => s != null);
    let res: Response;
    try {
      res = await fetch(`${url}${path}`, { ...init, headers: { ...headers, ...init.headers as Record<string, string> }, signal: AbortSignal.any(signals) });
    } catch (err) {
      if (init.signal?.aborted) throw err;
      throw new ComfyUnreachable(`${url} did not answer ${path.split('?')[0]}: ${(err as Error).message}`, { cause: err });
    }
    if (res.status >= 500 || res.status === 401 || res.status === 403 || res.status === 404 && !path.startsWith('/view')) {
      const body = await res.text().catch(() => '');
      throw new ComfyUnreachable(`${url} answered ${path.split('?')[0]} with ${res.status}${body ? `: ${body.slice(0, 200)}` : ''}`);
    }
    return res;
  }

  async function json<T>(path: string, init?: RequestInit): Promise<T> {
    const res = await call(path, init);
    if (!res.ok) throw new ComfyUnreachable(`${url} answered ${path.split('?')[0]} with ${res.status}`);
    return (await res.json()) as T;
  }

  const post = (body: unknown) => ({ method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

  return {
    url,
    headers,
    async upload(path, name, signal) {
      const form = new FormData();
      // A file-backed Blob: the upload streams from disk instead of being read into memory.
      form.append('image', await openAsBlob(path), name);
      form.append('subfolder', UPLOAD_SUBFOLDER);
      form.append('type', 'input');
      form.append('overwrite', 'true');
      const res = await call('/upload/image', { method: 'POST', body: form, signal, timeout: false });
      if (res.status === 413) throw new ComfyRejected(`${url} refused the ${name} upload as too large (ComfyUI's --max-upload-size)`, {});
      if (!res.ok) throw new ComfyRejected(`${url} refused the ${name} upload (${res.status})`, {});
      const answer = (await res.json()) as { name: string; subfolder?: string };
      return answer.subfolder ? `${answer.subfolder}/${answer.name}` : answer.name;
    },
    async submit(promptId, clientId, prompt, signal) {
      const res = await call('/prompt', { ...post({ prompt, client_id: clientId, prompt_id: promptId }), signal });
      if (res.status === 400) {
        const body = (await res.json().catch(() => ({}))) as { error?: { message?: string; details?: string }; node_errors?: Record<string, unknown> };
        throw new ComfyRejected(rejectionText(body.error, body.node_errors ?? {}), body.node_errors ?? {});
      }
      if (!res.ok) throw new ComfyUnreachable(`${url} answered /prompt with ${res.status}`);
      await res.arrayBuffer();
    },
    queue: (signal) => json<ComfyQueue>('/queue', { signal }),
    async history(promptId, signal) {
      const all = await json<Record<string, HistoryEntry>>(`/history/${encodeURIComponent(promptId)}`, { signal });
      return all[promptId];
    },
    async deletePending(promptId) {
      await (await call('/queue', post({ delete: [promptId] }))).arrayBuffer();
    },
    async interrupt(promptId) {
      await (await call('/interrupt', post({ prompt_id: promptId }))).arrayBuffer();
    },
    async download(file, dest, signal) {
      const query = new URLSearchParams({ filename: file.filename, subfolder: file.subfolder ?? '', type: file.type ?? 'output' });
      const res = await call(`/view?${query.toString()}`, { signal, timeout: false });
      if (!res.ok || !res.body) throw new ComfyUnreachable(`${url} answered /view for ${file.filename} with ${res.status}`);
      const partial = `${dest}.part`;
      try {
        await pipeline(Readable.fromWeb(res.body as WebReadableStream), createWriteStream(partial));
        await rename(partial, dest);
      } catch (err) {
        await rm(partial, { force: true });
        throw err;
      }
    },
    objectInfo: (signal) => json('/object_info', { signal }),
    systemStats: (signal) => json('/system_stats', { signal }),
  };
}

/** ComfyUI's 400, in one sentence: its message, then each node's first error. */
function rejectionText(error: { message?: string; details?: string } | undefined, nodeErrors: Record<string, unknown>): string {
  const parts = [error?.message ?? 'ComfyUI refused the workflow'];
  if (error?.details) parts.push(error.details);
  for (const [node, value] of Object.entries(nodeErrors)) {
    const v = value as { class_type?: string; errors?: { message?: string; details?: string }[] };
    const first = v.errors?.[0];
    if (first) parts.push(`node ${node} (${v.class_type ?? '?'}): ${first.message ?? ''}${first.details ? ` (${first.details})` : ''}`);
  }
  return parts.join('; ');
}
