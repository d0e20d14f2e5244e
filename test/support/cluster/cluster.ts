/**
 * A retake deployment on namespaced hosts (see `netns.ts`): a data host running its own
 * PostgreSQL (a fresh initdb), Redis (append-only file, as BullMQ wants) and an S3
 * server (s3rver; it does not verify signatures), API hosts and worker hosts running
 * `retake serve --role api|worker`, and a client host through which the test speaks
 * HTTP (Unix sockets forwarded inside the lab). Used by the cluster test and
 * `bench/cluster.ts`. Everything lives under one temp dir and one lab id, and
 * `teardown()` removes both, also after a failure.
 */
import { randomBytes } from 'node:crypto';
import { appendFile, chmod, chown, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { Agent, fetch as undiciFetch, type RequestInit as UndiciInit, type Response } from 'undici';
import { createLab, type Host, type Lab } from './netns.ts';
import { frameSplitter, type SseFrame } from '../../../src/client/sse-frames.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'bin/retake.js');
const FORWARDER = join(ROOT, 'test/support/cluster/forwarder.ts');
const S3RVER_BIN = join(ROOT, 'node_modules/s3rver/bin/s3rver.js');
const PORT = 8787;
export const CLUSTER_KEY = 'rtk_cluster_test_key_000000000000000000';

export interface ClusterOptions {
  /** Renders per worker host at once. Default 2. */
  concurrency?: number;
  /** RETAKE_LEASE_MS: how soon a vanished worker's jobs run elsewhere. Default 2000. */
  leaseMs?: number;
  /** Log level of retake processes; workers log `generation started` at info. Default info. */
  logLevel?: string;
}

export interface RetakeHost extends Host {
  role: 'api' | 'worker';
  child: ChildProcess;
  output(): string;
  /** JSON log lines of the process so far. */
  logs(): Record<string, unknown>[];
}

export interface SseStream {
  frames: SseFrame[];
  /** Completion events per generation id. */
  completions(): Map<string, number>;
  close(): void;
}

export interface Cluster {
  lab: Lab;
  dir: string;
  data: Host;
  client: Host;
  apis: RetakeHost[];
  workers: RetakeHost[];
  /** Start one more API host (`api-<n>`) and wait until it is ready. */
  addApi(): Promise<RetakeHost>;
  /** Start one more worker host (`worker-<n>`) and wait until it consumes. */
  addWorker(): Promise<RetakeHost>;
  /** HTTP to an API host from the client host. `path` may be a full URL of any API host. */
  fetch(api: Host, path: string, init?: UndiciInit): Promise<Response>;
  /** The Unix socket that reaches an API host through the client host (for undici pools). */
  socketPath(api: Host): string;
  /** An SSE stream from an API host, parsed as it arrives. */
  sse(api: Host, path: string): Promise<SseStream>;
  stopRedis(): Promise<void>;
  startRedis(): Promise<void>;
  /** Tear everything down; answers what was left behind (should be nothing). */
  teardown(): Promise<{ namespaces: string[]; dirExists: boolean }>;
}

function postgresBin(name: string): string {
  const versions = execFileSync('ls', ['/usr/lib/postgresql']).toString().split('\n').filter(Boolean).sort((a, b) => Number(b) - Number(a));
  if (!versions[0]) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql');
  return `/usr/lib/postgresql/${versions[0]}/bin/${name}`;
}

/** Collect a child's output (capped) so its pipes never fill up. */
function capture(child: ChildProcess): () => string {
  let out = '';
  const add = (chunk: Buffer) => {
    out += chunk.toString();
    if (out.length > 4_000_000) out = out.slice(-2_000_000);
  };
  child.stdout?.on('data', add);
  child.stderr?.on('data', add);
  return () => out;
}

/** Thrown to stop `until` at once (a process that exited will not become ready). */
class Fatal extends Error {}

async function until<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined) return value;
    } catch (err) {
      if (err instanceof Fatal) throw err;
      last = err;
    }
    if (Date.now() > end) throw new Error(`${what}: not reached within ${timeoutMs} ms${last instanceof Error ? ` (${last.message})` : ''}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Build the lab and start the data host, then `apis` API hosts and `workers` worker hosts. */
export async function startCluster(apis: number, workers: number, options: ClusterOptions = {}): Promise<Cluster> {
  const id = randomBytes(3).toString('hex');
  const dir = await mkdtemp(join(tmpdir(), `retake-cluster-${id}-`));
  // PostgreSQL runs as its own user, which must reach its data dir below this one.
  await chmod(dir, 0o755);
  const lab = await createLab(id, 1 + (randomBytes(1)[0]! % 250));
  const sockets = join(dir, 'sockets');
  await mkdir(sockets);
  let cluster: Cluster | undefined;
  try {
    const data = await lab.addHost('data', 2);
    const client = await lab.addHost('client', 100);
    const dbUrl = `postgres://retake@${data.address}:5432/postgres`;
    const redisUrl = `redis://${data.address}:6379`;
    const apiHosts: RetakeHost[] = [];
    const workerHosts: RetakeHost[] = [];
    const agents = new Map<string, Agent>();
    let apiCount = 0;
    let workerCount = 0;

    // PostgreSQL: a fresh cluster owned by the postgres user (initdb refuses root).
    const pgdata = join(dir, 'pg');
    await mkdir(pgdata, { mode: 0o700 });
    const pgUser = execFileSync('id', ['-u', 'postgres']).toString().trim();
    const pgGroup = execFileSync('id', ['-g', 'postgres']).toString().trim();
    await chown(pgdata, Number(pgUser), Number(pgGroup));
    execFileSync('runuser', ['-u', 'postgres', '--', postgresBin('initdb'), '-D', pgdata, '-U', 'retake', '-A', 'trust', '--no-sync', '-E', 'UTF8'], { stdio: 'ignore' });
    // Hosts of the lab may connect (initdb allows only loopback); trust: it lives for one test.
    await appendFile(join(pgdata, 'pg_hba.conf'), `host all all ${lab.subnet} trust\n`);
    capture(data.spawn('runuser', ['-u', 'postgres', '--', postgresBin('postgres'), '-D', pgdata,
      '-c', `listen_addresses=${data.address}`, '-c', 'port=5432', '-c', `unix_socket_directories=${pgdata}`,
      '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200']));

    // Redis with an append-only file: a restart keeps the queue, as a production Redis for BullMQ should.
    const redisDir = join(dir, 'redis');
    await mkdir(redisDir);
    const redisArgs = ['--bind', data.address, '--port', '6379', '--dir', redisDir, '--appendonly', 'yes',
      '--appendfsync', 'always', '--save', '', '--protected-mode', 'no', '--maxmemory-policy', 'noeviction'];
    let redis: ChildProcess | undefined;
    const startRedis = async () => {
      redis = data.spawn('redis-server', redisArgs);
      capture(redis);
      await until('redis answers', 20_000, async () => ((await data.exec('redis-cli', ['-h', data.address, 'ping'])).includes('PONG') ? true : undefined));
    };

    // The S3 server (filesystem-backed; accepts any signature from the key S3RVER).
    const s3Dir = join(dir, 's3');
    await mkdir(s3Dir);
    capture(data.spawn(process.execPath, [S3RVER_BIN, '-d', s3Dir, '-a', data.address, '-p', '9000', '--configure-bucket', 'retake', '-s']));

    await startRedis();
    await until('postgres answers', 30_000, async () => ((await data.exec(postgresBin('pg_isready'), ['-h', data.address, '-p', '5432'])).includes('accepting') ? true : undefined));

    const env = (host: Host, role: 'api' | 'worker'): Record<string, string> => ({
      RETAKE_HOST: host.address,
      RETAKE_PORT: String(PORT),
      // The address clients use, as a load balancer's would be: the first API host.
      RETAKE_PUBLIC_URL: `http://${apiHosts[0]?.address ?? host.address}:${PORT}`,
      RETAKE_DATA_DIR: join(dir, `${host.name}-data`),
      RETAKE_DATABASE_URL: dbUrl,
      RETAKE_REDIS_URL: redisUrl,
      RETAKE_S3_BUCKET: 'retake',
      RETAKE_S3_ENDPOINT: `http://${data.address}:9000`,
      RETAKE_S3_FORCE_PATH_STYLE: '1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_REGION: 'us-east-1',
      // No instance-metadata probes: credentials are the variables above.
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      RETAKE_BOOTSTRAP_KEY: CLUSTER_KEY,
      RETAKE_LEASE_MS: String(options.leaseMs ?? 2000),
      RETAKE_CONCURRENCY: String(options.concurrency ?? 2),
      RETAKE_SHUTDOWN_MS: '5000',
      RETAKE_LOG_LEVEL: options.logLevel ?? (role === 'worker' ? 'info' : 'warn'),
    });

    const startRetake = async (name: string, octet: number, role: 'api' | 'worker'): Promise<RetakeHost> => {
      const host = await lab.addHost(name, octet);
      const child = host.spawn(process.execPath, [BIN, 'serve', '--role', role], env(host, role));
      const output = capture(child);
      const started: RetakeHost = {
        ...host, role, child, output,
        logs: () => output().split('\n').filter((l) => l.startsWith('{')).flatMap((l) => {
          try {
            return [JSON.parse(l) as Record<string, unknown>];
          } catch {
            return [];
          }
        }),
      };
      if (role === 'api') {
        const fwd = client.spawn(process.execPath, ['--import', 'tsx', FORWARDER, sockets, `${name}=${host.address}:${PORT}`]);
        const fwdOut = capture(fwd);
        await until(`forwarder to ${name}`, 20_000, async () => (fwdOut().includes('forwarding') ? true : undefined));
        agents.set(host.address, new Agent({ connect: { socketPath: join(sockets, `${name}.sock`) } }));
        await until(`${name} ready`, 60_000, async () => {
          if (child.exitCode !== null) throw new Fatal(`${name} exited:\n${output()}`);
          const res = await clusterFetch(host, '/readyz');
          await res.body?.cancel();
          return res.status === 200 ? true : undefined;
        });
        apiHosts.push(started);
      } else {
        await until(`${name} consuming`, 60_000, async () => {
          if (child.exitCode !== null) throw new Fatal(`${name} exited:\n${output()}`);
          return output().includes('worker running') ? true : undefined;
        });
        workerHosts.push(started);
      }
      return started;
    };

    const clusterFetch = (api: Host, path: string, init?: UndiciInit): Promise<Response> => {
      const url = new URL(path, `http://${api.address}:${PORT}`);
      url.host = `${api.address}:${PORT}`;
      const dispatcher = agents.get(api.address);
      if (!dispatcher) throw new Error(`no route to ${api.name}`);
      return undiciFetch(url, { ...init, dispatcher, headers: { authorization: `Bearer ${CLUSTER_KEY}`, ...(init?.headers as Record<string, string> | undefined) } });
    };

    cluster = {
      lab, dir, data, client,
      apis: apiHosts,
      workers: workerHosts,
      addApi: () => {
        const n = ++apiCount;
        return startRetake(`api-${n}`, 10 + n, 'api');
      },
      addWorker: () => {
        const n = ++workerCount;
        return startRetake(`worker-${n}`, 20 + n, 'worker');
      },
      fetch: clusterFetch,
      socketPath: (api) => join(sockets, `${api.name}.sock`),
      sse: (api, path) => openSse(join(sockets, `${api.name}.sock`), `${api.address}:${PORT}`, path),
      async stopRedis() {
        const r = redis;
        if (!r || r.exitCode !== null) return;
        const exited = new Promise((resolve) => r.once('exit', resolve));
        r.kill('SIGTERM');
        await exited;
      },
      startRedis,
      async teardown() {
        for (const agent of agents.values()) await agent.close().catch(() => undefined);
        await lab.destroy();
        await rm(dir, { recursive: true, force: true });
        return { namespaces: await lab.namespaces(), dirExists: await stat(dir).then(() => true, () => false) };
      },
    };
    // The first API host migrates the schema; the rest start together.
    if (apis > 0) await cluster.addApi();
    await Promise.all([
      ...Array.from({ length: apis - 1 }, () => cluster!.addApi()),
      ...Array.from({ length: workers }, () => cluster!.addWorker()),
    ]);
    return cluster;
  } catch (err) {
    if (cluster) await cluster.teardown().catch(() => undefined);
    else {
      await lab.destroy().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    }
    throw err;
  }
}

function openSse(socketPath: string, host: string, path: string): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ socketPath, path, headers: { host, accept: 'text/event-stream', authorization: `Bearer ${CLUSTER_KEY}` } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`SSE answered ${res.statusCode}`));
        return;
      }
      const frames: SseFrame[] = [];
      res.setEncoding('utf8');
      res.on('error', () => undefined);
      res.on('data', frameSplitter((frame) => {
        if (frame.event) frames.push(frame);
      }));
      resolve({
        frames,
        completions() {
          const counts = new Map<string, number>();
          for (const f of frames) {
            if (f.event !== 'media_generation_completed' || !f.data) continue;
            const id = (JSON.parse(f.data) as { generation_id: string }).generation_id;
            counts.set(id, (counts.get(id) ?? 0) + 1);
          }
          return counts;
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}
