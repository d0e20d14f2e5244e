/**
 * A stand-in for fal on 127.0.0.1 that speaks its documented HTTP protocol: the queue
 * (submit `POST /{app}`, status `GET /{owner}/{alias}/requests/{id}/status`, result
 * `GET .../requests/{id}`, cancel `PUT .../requests/{id}/cancel`, `Authorization: Key`),
 * storage uploads (`POST /storage/upload/initiate`, then `PUT` to the signed URL) and the
 * CDN that serves outputs. Tests script its behaviour and read what it received.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenOn } from '../../src/cli/free-port.ts';

export type FalRoute = 'submit' | 'status' | 'result' | 'cancel' | 'initiate' | 'upload' | 'output';

export interface FalScript {
  /** Status polls answered IN_QUEUE (position counts down) before IN_PROGRESS; default 2. */
  queuedPolls: number;
  /** Status polls answered IN_PROGRESS before COMPLETED; default 1. */
  progressPolls: number;
  /** Stay IN_QUEUE until set back to false. */
  hold: boolean;
  /** `moderated`: the result is fal's 422 content-policy error. */
  outcome: 'ok' | 'moderated';
  /** Serve each output once, then answer 404 (an expired URL). */
  vanishOutputs: boolean;
}

export interface FalRequestRecord {
  id: string;
  body: Record<string, unknown>;
  polls: number;
  cancelled: boolean;
}

export interface FalStandin {
  /** Queue base URL (RETAKE_FAL_QUEUE_URL). */
  url: string;
  /** Storage base URL (RETAKE_FAL_STORAGE_URL). */
  storageUrl: string;
  key: string;
  script: FalScript;
  /** Every accepted submission, in order. */
  submissions: FalRequestRecord[];
  uploads: { fileName: string; contentType: string; bytes: Buffer }[];
  /** Calls per route (including faulted ones), with their times. */
  calls: { route: FalRoute; at: number; status: number }[];
  /** The next `times` calls to `route` answer `status` (with `headers` / `body`). */
  fail(route: FalRoute, times: number, status: number, headers?: Record<string, string>, body?: unknown): void;
  close(): Promise<void>;
}

export const OUTPUT_VIDEO = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypisom'), Buffer.alloc(4000, 7)]);
export const OUTPUT_EXR = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(2000, 3)]);

export async function startFalStandin(key = 'fal-test-key'): Promise<FalStandin> {
  const script: FalScript = { queuedPolls: 2, progressPolls: 1, hold: false, outcome: 'ok', vanishOutputs: false };
  const submissions: FalRequestRecord[] = [];
  const uploads: FalStandin['uploads'] = [];
  const calls: FalStandin['calls'] = [];
  const faults: { route: FalRoute; times: number; status: number; headers?: Record<string, string>; body?: unknown }[] = [];
  const served = new Set<string>();
  const pendingUploads = new Map<string, { fileName: string; contentType: string }>();
  let base = '';

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', base);
    const path = url.pathname;
    const body = await readBody(req);
    const route = routeOf(req.method ?? 'GET', path);
    if (!route) return send(res, 404, { detail: 'Not Found' });
    const fault = faults.find((f) => f.route === route && f.times > 0);
    if (fault) {
      fault.times--;
      calls.push({ route, at: Date.now(), status: fault.status });
      return send(res, fault.status, fault.body ?? { detail: `stand-in fault ${fault.status}` }, fault.headers);
    }
    calls.push({ route, at: Date.now(), status: 200 });
    const needsKey = route !== 'upload' && route !== 'output';
    if (needsKey && req.headers.authorization !== `Key ${key}`) return send(res, 401, { detail: 'Invalid API key' });

    switch (route) {
      case 'initiate': {
        const { file_name: fileName, content_type: contentType } = JSON.parse(body.toString()) as Record<string, string>;
        const token = randomUUID();
        pendingUploads.set(token, { fileName: fileName!, contentType: contentType! });
        return send(res, 200, { upload_url: `${base}/upload-target/${token}`, file_url: `${base}/files/${token}/${fileName}` });
      }
      case 'upload': {
        const token = path.split('/')[2]!;
        const meta = pendingUploads.get(token);
        if (!meta) return send(res, 403, { detail: 'bad signature' });
        uploads.push({ ...meta, bytes: body });
        return send(res, 200, {});
      }
      case 'submit': {
        const record: FalRequestRecord = { id: randomUUID(), body: JSON.parse(body.toString()) as Record<string, unknown>, polls: 0, cancelled: false };
        submissions.push(record);
        // Like fal, the URLs it answers drop the app's sub-path.
        const at = `${base}/luma/agent/requests/${record.id}`;
        return send(res, 200, { request_id: record.id, response_url: at, status_url: `${at}/status`, cancel_url: `${at}/cancel` });
      }
      case 'status':
      case 'result':
      case 'cancel': {
        const record = submissions.find((s) => s.id === path.split('/')[4]);
        if (!record) return send(res, 404, { detail: 'Request not found' });
        if (route === 'cancel') {
          record.cancelled = true;
          return send(res, 202, { status: 'CANCELLATION_REQUESTED' });
        }
        const state = stateOf(record, route === 'status');
        if (route === 'status') {
          if (url.searchParams.get('logs') !== '1') return send(res, 400, { detail: 'stand-in expects logs=1' });
          return send(res, state === 'IN_QUEUE' ? 202 : 200, {
            status: state,
            ...(state === 'IN_QUEUE' ? { queue_position: Math.max(0, script.queuedPolls - record.polls) } : {}),
            logs: state === 'IN_QUEUE' ? null : [{ message: 'rendering', level: 'INFO', timestamp: new Date().toISOString() }],
            response_url: `${base}/luma/agent/requests/${record.id}`,
          });
        }
        if (state !== 'COMPLETED') return send(res, 400, { detail: 'Request is still in progress' });
        if (script.outcome === 'moderated') {
          return send(res, 422, { detail: [{ loc: ['body', 'prompt'], msg: 'The prompt was flagged by the content checker', type: 'content_policy_violation' }] });
        }
        return send(res, 200, {
          video: { url: `${base}/outputs/${record.id}/video.mp4`, content_type: 'video/mp4', file_name: 'video.mp4' },
          ...(record.body.exr_export ? { exr: { url: `${base}/outputs/${record.id}/frames.exr.zip`, content_type: 'application/zip', file_name: 'frames.exr.zip' } } : {}),
        });
      }
      case 'output': {
        if (script.vanishOutputs && served.has(path)) return send(res, 404, { detail: 'expired' });
        served.add(path);
        const bytes = path.endsWith('.zip') ? OUTPUT_EXR : OUTPUT_VIDEO;
        res.writeHead(200, { 'content-type': path.endsWith('.zip') ? 'application/zip' : 'video/mp4', 'content-length': bytes.length });
        res.end(bytes);
        return;
      }
    }
  };

  const stateOf = (record: FalRequestRecord, counting: boolean): string => {
    if (counting && !script.hold) record.polls++;
    if (script.hold || record.polls <= script.queuedPolls) return 'IN_QUEUE';
    if (record.polls <= script.queuedPolls + script.progressPolls) return 'IN_PROGRESS';
    return 'COMPLETED';
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => send(res, 500, { detail: String(err) }));
  });
  await listenOn(server);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    storageUrl: `${base}/storage`,
    key,
    script,
    submissions,
    uploads,
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

function routeOf(method: string, path: string): FalRoute | undefined {
  if (method === 'POST' && path === '/storage/upload/initiate') return 'initiate';
  if (method === 'PUT' && path.startsWith('/upload-target/')) return 'upload';
  if (method === 'GET' && path.startsWith('/outputs/')) return 'output';
  if (method === 'POST' && path === '/luma/agent/ray/v3.2/video-to-video') return 'submit';
  if (/^\/luma\/agent\/requests\/[^/]+\/status$/.test(path) && method === 'GET') return 'status';
  if (/^\/luma\/agent\/requests\/[^/]+\/cancel$/.test(path) && method === 'PUT') return 'cancel';
  if (/^\/luma\/agent\/requests\/[^/]+$/.test(path) && method === 'GET') return 'result';
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
