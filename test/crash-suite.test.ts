/**
 * Ten SIGKILLs at random moments. Each round starts the server on the same data dir
 * and sets things going — a queued render with a webhook, a sync generate, an upload,
 * each under an Idempotency-Key — then kills the server after a random delay (seeded,
 * printed on failure), and checks that no FFmpeg outlived it by a second. At the end
 * every request is retried with its key until it is answered, and:
 * - every key was answered, and names one generation (or upload) of its own: nothing
 *   lost, nothing doubled (one generation per key in the history);
 * - every generation succeeded and every webhook arrived (at least once, one delivery id);
 * - no part file, work directory or FFmpeg is left behind.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, listenOn } from '../src/cli/free-port.ts';
import { eventually, processesMentioning, startServerProcess, type ServerProcess } from './support/server-process.ts';
import { shortClips, type ShortClips } from './support/short-clips.ts';
import { scaled } from './support/deadline.ts';

const KEY = 'rtk_crash_suite_test_key_000000000000000';
const ROUNDS = Number(process.env.RETAKE_CRASH_ROUNDS ?? 10);
const SEED = Number(process.env.RETAKE_CRASH_SEED ?? Date.now() % 100_000);
let clips: ShortClips;
let clip: Buffer;
let dataDir: string;
let server: ServerProcess | undefined;
let hook: Server;
let hookUrl: string;
/** One port across restarts, as a real deployment has (answers carry URLs with it). */
let port: number;
const deliveries: { id: string; generation: string; status: string }[] = [];

/** A small seeded generator (mulberry32), so a failing run can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const env = () => ({
  RETAKE_DATA_DIR: dataDir, RETAKE_BOOTSTRAP_KEY: KEY, RETAKE_ALLOW_PRIVATE_URLS: '1', RETAKE_CONCURRENCY: '2',
  RETAKE_LEASE_MS: '600', RETAKE_WEBHOOK_BACKOFF_MS: '100', RETAKE_BODY_STALL_MS: '500',
});

beforeAll(async () => {
  clips = await shortClips();
  clip = await readFile(join(clips.dir, 'long.mp4'));
  dataDir = await mkdtemp(join(tmpdir(), 'retake-crash-suite-'));
  port = await freePort('127.0.0.1');
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const parsed = JSON.parse(body) as { generation_id: string; status: string };
      deliveries.push({ id: String(req.headers['x-retake-delivery']), generation: parsed.generation_id, status: parsed.status });
      res.writeHead(204).end();
    });
  });
  await listenOn(hook);
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  await server?.stop();
  await clips.close();
  hook.closeAllConnections();
  await new Promise((r) => hook.close(r));
  await rm(dataDir, { recursive: true, force: true });
});

const auth = { authorization: `Bearer ${KEY}` };

function queue(round: number): Promise<Response> {
  return fetch(`${server!.baseUrl}/api/ai/queue`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': `queue-${round}` },
    body: JSON.stringify({ model: 'retake-local', prompt: 'watercolor', input_video: clips.url('short.mp4'), webhook_url: hookUrl }),
  });
}

function generate(round: number): Promise<Response> {
  return fetch(`${server!.baseUrl}/api/ai/videos/generate`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': `sync-${round}` },
    body: JSON.stringify({ model: 'retake-local', prompt: 'film noir', input_video: clips.url('short.mp4') }),
  });
}

/** An upload sent slowly (in pieces), so a kill may land in the middle of it. */
function slowUpload(round: number): Promise<void> {
  const { port } = new URL(server!.baseUrl);
  const boundary = '----crash-suite';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="clip.mp4"\r\nContent-Type: video/mp4\r\n\r\n`);
  const body = Buffer.concat([head, clip, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    // The client gives up after a while, as a real one would.
    setTimeout(() => {
      socket.destroy();
      resolve();
    }, 4000).unref();
    socket.on('error', () => resolve());
    socket.on('close', () => resolve());
    socket.on('connect', () => {
      socket.write(`POST /api/files HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${KEY}\r\nIdempotency-Key: upload-${round}\r\n`
        + `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
      let at = 0;
      const piece = Math.ceil(body.length / 8);
      const next = (): void => {
        if (socket.destroyed || at >= body.length) return;
        socket.write(body.subarray(at, at + piece));
        at += piece;
        setTimeout(next, 100);
      };
      next();
    });
  });
}

async function upload(round: number): Promise<Response> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(clip)], { type: 'video/mp4' }), 'clip.mp4');
  return fetch(`${server!.baseUrl}/api/files`, { method: 'POST', headers: { ...auth, 'idempotency-key': `upload-${round}` }, body: form });
}


/** Retry `call` as a client would (409 in progress means later) until it is answered. */
async function answered(call: () => Promise<Response>): Promise<{ status: number; body: any }> {
  return eventually(async () => {
    const res = await call().catch(() => undefined);
    if (!res || res.status === 409 || res.status === 503) return undefined;
    return { status: res.status, body: await res.json() };
  }, 120_000, 250);
}

describe(`${ROUNDS} SIGKILLs at random moments (seed ${SEED})`, () => {
  it('lose nothing, double nothing, leave nothing behind, and every idempotent retry is answered', async () => {
    const rand = random(SEED);
    const early = new Map<string, unknown>();
    for (let round = 0; round < ROUNDS; round++) {
      server = await startServerProcess(env(), port);
      if (process.env.RETAKE_CRASH_TRACE) console.log(new Date().toISOString(), 'round', round);
      const inFlight = [
        queue(round).then(async (r) => early.set(`queue-${round}`, r.status === 200 ? await r.json() : undefined), () => undefined),
        generate(round).then(() => undefined, () => undefined),
        slowUpload(round),
      ];
      await new Promise((r) => setTimeout(r, 100 + rand() * 1500));
      await server.kill();
      server = undefined;
      if (process.env.RETAKE_CRASH_TRACE) console.log(new Date().toISOString(), 'killed');
      await Promise.all(inFlight);
      await new Promise((r) => setTimeout(r, 1000));
      expect(await processesMentioning(dataDir), `FFmpeg left after kill ${round + 1}`).toEqual([]);
    }

    server = await startServerProcess(env(), port);
    if (process.env.RETAKE_CRASH_TRACE) console.log(new Date().toISOString(), 'final');
    const generationIds = new Set<string>();
    for (let round = 0; round < ROUNDS; round++) {
      const q = await answered(() => queue(round));
      expect(q.status, JSON.stringify(q.body)).toBe(200);
      const ids: string[] = q.body.generations.map((g: { generation_id: string }) => g.generation_id);
      expect(ids).toHaveLength(1);
      // An answer the client saw before a kill is the answer it gets now.
      const seen = early.get(`queue-${round}`) as { generations: { generation_id: string }[] } | undefined;
      if (seen) expect(seen.generations[0]!.generation_id).toBe(ids[0]);
      ids.forEach((id) => generationIds.add(id));
      if (process.env.RETAKE_CRASH_TRACE) console.log(new Date().toISOString(), 'queue answered', round);
      const u = await answered(() => upload(round));
      expect(u.status).toBe(201);
      expect((await fetch(u.body.url)).status).toBe(200);
    }
    // The sync retries run side by side, as separate clients would.
    const syncAnswers = await Promise.all(Array.from({ length: ROUNDS }, (_, round) => answered(() => generate(round))));
    for (const answer of syncAnswers) {
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      generationIds.add(answer.body.generation_id);
    }
    // One generation per key: 10 queued + 10 sync, none doubled, all succeeded.
    expect(generationIds.size).toBe(2 * ROUNDS);
    const history = await (await fetch(`${server.baseUrl}/api/ai/generations?page=1&page_size=100`, { headers: auth })).json();
    expect(history.total_entries).toBe(2 * ROUNDS);
    const rows = await eventually(async () => {
      const all = await Promise.all([...generationIds].map(async (id) => (await fetch(`${server!.baseUrl}/api/ai/queue/${id}`, { headers: auth })).json()));
      return all.every((r) => ['succeeded', 'failed', 'cancelled'].includes(r.status)) ? all : undefined;
    }, 120_000, 250);
    expect(rows.map((r) => `${r.generation_id} ${r.status} ${r.error_message ?? ''}`)).toEqual(rows.map((r) => `${r.generation_id} succeeded `));

    // Every queued generation's webhook arrived, each under one delivery id.
    const queued = rows.filter((r) => r.webhook_url !== undefined && r.webhook_url !== null).map((r) => r.generation_id as string);
    await eventually(async () => (queued.every((id) => deliveries.some((d) => d.generation === id)) ? true : undefined), 30_000, 100);
    for (const id of queued) {
      const mine = deliveries.filter((d) => d.generation === id);
      expect(new Set(mine.map((d) => d.id)).size).toBe(1);
      expect(mine[0]!.status).toBe('succeeded');
    }

    // Nothing left behind: no part files, no work directories, no FFmpeg.
    await eventually(async () => {
      const tmp = await readdir(join(dataDir, 'blobs', 'tmp')).catch(() => [] as string[]);
      return tmp.filter((n) => n.endsWith('.part') || n.startsWith('job-')).length === 0 ? true : undefined;
    }, 10_000, 200);
    expect(await processesMentioning(dataDir)).toEqual([]);
  }, scaled(420_000));
});
