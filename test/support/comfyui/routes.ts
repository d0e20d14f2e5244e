/**
 * The stand-in's HTTP routes, as ComfyUI's `server.py` answers them (registered once
 * bare and once under `/api/`): `/object_info`, `/system_stats`, `/queue` (read, and
 * delete pending prompts), `/history/{id}` (`{}` until the prompt finished), `/prompt`
 * (validated like ComfyUI: a 400 with `node_errors`), `/interrupt` (by prompt id),
 * `/upload/image` (any file, into the input or output folder) and `/view`.
 */
import { createReadStream } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { OBJECT_INFO } from './object-info.ts';
import type { QueueState } from './queue-state.ts';
import { validateGraph, type Graph } from './validate-graph.ts';

/** What the routes record for the tests (the stand-in's public lists). */
export interface RouteRecords {
  submissions: { prompt_id: string; client_id: string | undefined; graph: Graph }[];
  uploads: string[];
  deletes: string[];
  interrupts: string[];
}

export interface RouteContext {
  queue: QueueState;
  records: RouteRecords;
  inputDir: string;
  outputDir: string;
  /** Called after a prompt is queued: run it when nothing runs. */
  pump: () => void;
}

export function registerRoutes(server: FastifyInstance, p: string, ctx: RouteContext): void {
  const { queue, records, inputDir, outputDir } = ctx;
  server.get(`${p}/object_info`, async () => OBJECT_INFO);
  server.get(`${p}/system_stats`, async () => ({
    system: { os: 'posix', comfyui_version: 'stand-in' },
    devices: [{ name: 'stand-in GPU', type: 'cuda', index: 0, vram_total: 24e9, vram_free: 20e9 }],
  }));
  server.get(`${p}/queue`, async () => ({
    queue_running: queue.running ? [queue.entry(queue.running)] : [],
    queue_pending: queue.pending.map((item) => queue.entry(item)),
  }));
  server.get<{ Params: { id: string } }>(`${p}/history/:id`, async (req) => {
    const entry = queue.history[req.params.id];
    return entry ? { [req.params.id]: entry } : {};
  });
  server.post<{ Body: { prompt?: Graph; client_id?: string; prompt_id?: string } }>(`${p}/prompt`, async (req, reply) => {
    const body = req.body;
    if (!body.prompt) return reply.code(400).send({ error: { type: 'no_prompt', message: 'No prompt provided', details: 'No prompt provided', extra_info: {} }, node_errors: {} });
    const problem = await validateGraph(body.prompt, OBJECT_INFO, inputDir);
    if (problem) return reply.code(400).send(problem);
    const id = String(body.prompt_id ?? randomUUID());
    const item = queue.enqueue(id, body.prompt, body.client_id);
    records.submissions.push({ prompt_id: id, client_id: body.client_id, graph: structuredClone(body.prompt) });
    queueMicrotask(ctx.pump);
    return { prompt_id: id, number: item.number, node_errors: {} };
  });
  server.post<{ Body: { delete?: string[]; clear?: boolean } }>(`${p}/queue`, async (req) => {
    for (const id of req.body.delete ?? []) {
      records.deletes.push(id);
      queue.pending = queue.pending.filter((item) => item.id !== id);
    }
    if (req.body.clear) queue.pending = [];
    return '';
  });
  server.post<{ Body: { prompt_id?: string } | undefined }>(`${p}/interrupt`, async (req) => {
    const id = req.body?.prompt_id;
    records.interrupts.push(id ?? '*');
    if (queue.running && (id === undefined || queue.running.id === id)) queue.running.interrupted = true;
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
    records.uploads.push(fields.subfolder ? `${fields.subfolder}/${file.name}` : file.name);
    return { name: file.name, subfolder: fields.subfolder ?? '', type: fields.type ?? 'input' };
  });
  server.get<{ Querystring: { filename?: string; subfolder?: string; type?: string } }>(`${p}/view`, async (req, reply) => {
    const base = req.query.type === 'input' ? inputDir : outputDir;
    const path = join(base, normalize(req.query.subfolder ?? ''), req.query.filename ?? '');
    if (!path.startsWith(base) || !(await stat(path).then((s) => s.isFile(), () => false))) return reply.code(404).send();
    return reply.type('video/mp4').send(createReadStream(path));
  });
}
