/**
 * Test support for the API suites: a real retake (SQLite in a temp dir, real blobs,
 * real queue) behind the real server, with one API key, and a loopback HTTP server for
 * fixture media. Not used by the service itself.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildServer, createRetake, type CreateOptions } from '../app.ts';
import { frameSplitter, type SseFrame } from '../client/sse-frames.ts';
import { loadConfig, type Config } from '../config.ts';
import type { Retake } from '../retake.ts';
import type { ApiKeyRow } from '../store/types.ts';
import { freePort, listenOn } from '../cli/free-port.ts';

export interface Harness {
  retake: Retake;
  app: FastifyInstance;
  key: ApiKeyRow;
  secret: string;
  /** `{authorization: 'Bearer <secret>'}` */
  auth: Record<string, string>;
  /** Base URL when started with `listen: true`. */
  baseUrl: string;
  close(): Promise<void>;
}


/**
 * A retake with a temp data dir and its server.
 * @param options.config overrides (defaults: silent logs, private URLs allowed)
 * @param options.role default `api` (no worker) unless jobs must run
 * @param options.listen listen on 127.0.0.1 (default false: use `app.inject`)
 * @param options.hdrAccess the test key's HDR access (default true)
 */
export async function startHarness(options: {
  config?: Partial<Config>;
  role?: CreateOptions['role'];
  engines?: CreateOptions['engines'];
  listen?: boolean;
  hdrAccess?: boolean;
  /** Register extra routes before the server is ready. */
  setup?: (app: FastifyInstance) => void;
} = {}): Promise<Harness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'retake-api-'));
  const port = options.listen ? await freePort('127.0.0.1') : 8787;
  const config = loadConfig({
    host: '127.0.0.1', port, dataDir, logLevel: 'silent', allowPrivateUrls: true, ...options.config,
  }, {});
  const retake = await createRetake(config, { role: options.role ?? 'api', engines: options.engines, pollMs: 20 });
  const app = await buildServer(retake);
  options.setup?.(app);
  if (options.listen) await app.listen({ host: '127.0.0.1', port });
  else await app.ready();
  const { key, secret } = await retake.keys.create({ name: 'test', hdrAccess: options.hdrAccess ?? true });
  return {
    retake, app, key, secret,
    auth: { authorization: `Bearer ${secret}` },
    baseUrl: config.publicUrl,
    async close() {
      await app.close();
      await retake.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Serve files of `dir` on 127.0.0.1 (inputs for real jobs). */
export async function serveDirectory(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const name = (req.url ?? '/').split('?')[0]!.replace(/^\/+/, '');
    if (!/^[A-Za-z0-9._-]+$/.test(name)) {
      res.writeHead(404).end();
      return;
    }
    const path = join(dir, name);
    stat(path).then(
      (s) => {
        res.writeHead(200, { 'content-type': name.endsWith('.mp4') ? 'video/mp4' : 'application/octet-stream', 'content-length': s.size });
        createReadStream(path).pipe(res);
      },
      () => res.writeHead(404).end(),
    );
  });
  await listenOn(server);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export type { SseFrame } from '../client/sse-frames.ts';

export interface SseConnection {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  frames: SseFrame[];
  /** Resolves once a frame matching `test` has arrived (or rejects after `timeoutMs`). */
  waitFor(test: (frame: SseFrame) => boolean, timeoutMs?: number): Promise<SseFrame>;
  close(): void;
}

/** Open an SSE stream with Node's http client and parse its frames as they arrive. */
export async function openSse(url: string, headers: Record<string, string>): Promise<SseConnection> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      const frames: SseFrame[] = [];
      const waiters = new Set<() => void>();
      const split = frameSplitter((frame) => frames.push(frame));
      res.setEncoding('utf8');
      // Closing from this side aborts the response; that is the point, not a failure.
      res.on('error', () => undefined);
      res.on('data', (chunk: string) => {
        split(chunk);
        for (const wake of [...waiters]) wake();
      });
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        frames,
        waitFor(test, timeoutMs = 20_000) {
          return new Promise((done, fail) => {
            const check = () => {
              const hit = frames.find(test);
              if (!hit) return false;
              waiters.delete(check);
              clearTimeout(timer);
              done(hit);
              return true;
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`no matching SSE frame within ${timeoutMs} ms (got ${frames.length})`));
            }, timeoutMs);
            waiters.add(check);
            check();
          });
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}
