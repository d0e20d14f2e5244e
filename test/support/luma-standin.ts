/**
 * A stand-in for Luma's Agents API on 127.0.0.1 that speaks its documented HTTP
 * protocol: `POST /v1/generations` and `GET /v1/generations/{id}` with `Bearer` auth,
 * states queued → processing → completed | failed (`failure_code`, `failure_reason`), and
 * presigned output URLs. It is strict: a generation body outside the request types of
 * Luma's SDK (`luma-agents-schema.ts`) is refused with a 422 naming every problem, and
 * kept in `refusals` for the test to read. Tests script its behaviour and read what it
 * received.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OUTPUT_EXR, OUTPUT_VIDEO } from './fal-standin.ts';
import { lumaRequestProblems } from './luma-agents-schema.ts';
import { listenOn } from '../../src/cli/free-port.ts';

export type LumaRoute = 'create' | 'get' | 'output';

export interface LumaScript {
  /** Polls answered `queued`, then `processing`, before the outcome; defaults 1 and 1. */
  queuedPolls: number;
  processingPolls: number;
  /** A failure code (e.g. `content_moderated`) to end in `failed`; undefined to complete. */
  failureCode: string | undefined;
  vanishOutputs: boolean;
}

export interface LumaGenerationRecord {
  id: string;
  body: Record<string, unknown>;
  polls: number;
}

export interface LumaStandin {
  /** API base (RETAKE_LUMA_API_URL), ending in `/v1`. */
  url: string;
  key: string;
  script: LumaScript;
  creations: LumaGenerationRecord[];
  /** Bodies refused as outside the SDK's types, with the reasons. */
  refusals: { body: unknown; problems: string[] }[];
  calls: { route: LumaRoute; at: number; status: number }[];
  fail(route: LumaRoute, times: number, status: number, headers?: Record<string, string>, body?: unknown): void;
  close(): Promise<void>;
}

export async function startLumaStandin(key = 'luma-api-test-key'): Promise<LumaStandin> {
  const script: LumaScript = { queuedPolls: 1, processingPolls: 1, failureCode: undefined, vanishOutputs: false };
  const creations: LumaGenerationRecord[] = [];
  const refusals: LumaStandin['refusals'] = [];
  const calls: LumaStandin['calls'] = [];
  const faults: { route: LumaRoute; times: number; status: number; headers?: Record<string, string>; body?: unknown }[] = [];
  const served = new Set<string>();
  let base = '';

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', 'x-api-version': '2026-04-01', ...headers });
    res.end(JSON.stringify(body));
  };

  const view = (g: LumaGenerationRecord) => {
    const { queuedPolls, processingPolls, failureCode } = script;
    const state = g.polls <= queuedPolls ? 'queued' : g.polls <= queuedPolls + processingPolls ? 'processing' : failureCode ? 'failed' : 'completed';
    const exr = (g.body.video as Record<string, unknown> | undefined)?.exr_export === true;
    return {
      id: g.id, model: 'ray-3.2', type: 'video_edit', state, created_at: new Date().toISOString(),
      failure_code: state === 'failed' ? failureCode : null,
      failure_reason: state === 'failed' ? 'The request was flagged by content moderation.' : null,
      output: state !== 'completed' ? [] : [
        { type: 'video', url: `${base}/outputs/${g.id}/video.mp4?X-Amz-Expires=3600` },
        ...(exr ? [{ type: 'exr', url: `${base}/outputs/${g.id}/frames.exr.zip?X-Amz-Expires=3600` }] : []),
      ],
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', base).pathname;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const route: LumaRoute | undefined = req.method === 'POST' && path === '/v1/generations' ? 'create'
      : req.method === 'GET' && /^\/v1\/generations\/[^/]+$/.test(path) ? 'get'
        : req.method === 'GET' && path.startsWith('/outputs/') ? 'output' : undefined;
    if (!route) return send(res, 404, { error: { message: 'Not found' } });
    const fault = faults.find((f) => f.route === route && f.times > 0);
    if (fault) {
      fault.times--;
      calls.push({ route, at: Date.now(), status: fault.status });
      return send(res, fault.status, fault.body ?? { error: { message: `stand-in fault ${fault.status}` } }, fault.headers);
    }
    calls.push({ route, at: Date.now(), status: 200 });
    if (route !== 'output' && req.headers.authorization !== `Bearer ${key}`) return send(res, 401, { error: { message: 'Invalid API key' } });
    if (route === 'create') {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as unknown;
      const problems = lumaRequestProblems(body);
      if (problems.length > 0) {
        refusals.push({ body, problems });
        calls[calls.length - 1]!.status = 422;
        return send(res, 422, { error: { message: `Invalid request: ${problems.join('; ')}` } });
      }
      const record = { id: randomUUID(), body: body as Record<string, unknown>, polls: 0 };
      creations.push(record);
      return send(res, 201, view(record));
    }
    if (route === 'get') {
      const record = creations.find((c) => c.id === path.split('/')[3]);
      if (!record) return send(res, 404, { error: { message: 'Generation not found' } });
      record.polls++;
      return send(res, 200, view(record));
    }
    if (script.vanishOutputs && served.has(path)) return send(res, 403, { error: { message: 'Request has expired' } });
    served.add(path);
    const bytes = path.endsWith('.zip') ? OUTPUT_EXR : OUTPUT_VIDEO;
    res.writeHead(200, { 'content-type': path.endsWith('.zip') ? 'application/zip' : 'video/mp4', 'content-length': bytes.length });
    res.end(bytes);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => send(res, 500, { error: { message: String(err) } }));
  });
  await listenOn(server);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/v1`,
    key,
    script,
    creations,
    refusals,
    calls,
    fail(route, times, status, headers, body) {
      faults.push({ route, times, status, headers, body });
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
