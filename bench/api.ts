/**
 * API benchmarks (`npm run bench`): runs `retake serve --role api` in a child process
 * on loopback and measures
 *   (a) status lookups per second, as a ratio to a bare route on the same server
 *       (interleaved rounds, median ratio; and the ratio of their CPU per request),
 *   (b) submit latency of POST /api/ai/queue,
 *   (c) SSE fan-out latency to 10,000 subscribers of one key (held by a separate
 *       process, bench/lib/subscribers-process.ts), beside the floor of the same
 *       fan-out from a bare node:net server in the same run (bench/lib/
 *       bare-fanout-process.ts), deliveries missed, and the
 *       server's CPU time per event and how much of it the kernel took (its
 *       loopback TCP writes, one per subscriber),
 *   (d) the server's resident memory idle and with those subscribers,
 *   (e) the server's memory growth while a 1 GiB upload streams to disk.
 * The upload is real media (a committed clip padded to size with an MP4 `free` box):
 * the upload route keeps only video and image containers.
 * Every loop is bounded by a count and a deadline. Knobs: BENCH_SUBSCRIBERS (10000),
 * BENCH_EVENTS (20), BENCH_UPLOAD_MB (1024), BENCH_SECONDS per route, split into 6 interleaved runs (3),
 * BENCH_SUBMITS (300); BENCH_SHORT=1 runs it small (50 subscribers, 5 events, 16 MB,
 * 0.5 s, 30 submits) to check that it works.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { measureLatency, measureRate } from './lib/load.ts';
import { log, printTable, type Row } from './lib/report.ts';
import { startBareFanout, startServerProcess, uploadFixture, type ServerProcess } from './lib/server-process.ts';
import { processTreeCpuSeconds, processTreeSystemSeconds } from './lib/process-tree.ts';
import { openSubscribers, wallNow, type Subscribers } from './lib/sse.ts';
import { mb, ms, percentile, sleep } from './lib/stats.ts';
import { knob } from './lib/short.ts';
import { mediaUpload } from './lib/upload.ts';

const SUBSCRIBERS = knob('BENCH_SUBSCRIBERS', 10_000, 50);
const EVENTS = knob('BENCH_EVENTS', 20, 5);
const UPLOAD_BYTES = knob('BENCH_UPLOAD_MB', 1024, 16) * 1024 * 1024;
const RATE_MS = knob('BENCH_SECONDS', 3, 0.5) * 1000;
const SUBMITS = knob('BENCH_SUBMITS', 300, 30);
/** Rounds of the lookup comparison; BENCH_SECONDS is split among them. */
const LOOKUP_ROUNDS = 6;
const UPLOAD_CLIP = 'test/fixtures/media/portrait.mp4';

const rows: Row[] = [];


async function submit(pool: Pool, apiKey: string, inputVideo: string): Promise<string> {
  const res = await pool.request({
    method: 'POST',
    path: '/api/ai/queue',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'retake-local', prompt: 'watercolor, warm, soft', input_video: inputVideo }),
  });
  const text = await res.body.text();
  if (res.statusCode !== 200 && res.statusCode !== 201 && res.statusCode !== 202) throw new Error(`POST /api/ai/queue answered ${res.statusCode}: ${text}`);
  const id = (JSON.parse(text) as { generations: { generation_id: string }[] }).generations[0]?.generation_id;
  if (!id) throw new Error('no generation_id in the queue answer');
  return id;
}

async function lookups(server: ServerProcess, pool: Pool, generationId: string): Promise<void> {
  const auth = { authorization: `Bearer ${server.apiKey}` };
  const path = `/api/ai/queue/${generationId}`;
  // Warm both routes up (JIT, connection setup) before measuring.
  await measureRate(pool, '/healthz', {}, { durationMs: 500 });
  await measureRate(pool, path, auth, { durationMs: 500 });
  // Short runs of each in turn, bare route first and last, so a burst of load elsewhere
  // on the machine hits both sides; each lookup run is compared with the bare runs on
  // either side, and the median of those ratios is the figure. The server's CPU time
  // per request of each route is a second view that other load moves much less.
  const bare = { requests: 0, seconds: 0, cpu: 0 };
  const lookup = { requests: 0, seconds: 0, cpu: 0 };
  const run = async (target: typeof bare, route: string, headers: Record<string, string>): Promise<number> => {
    const cpu0 = processTreeCpuSeconds(server.pid);
    const t0 = performance.now();
    const result = await measureRate(pool, route, headers, { durationMs: RATE_MS / LOOKUP_ROUNDS });
    if (result.errors > 0) log(`${result.errors} requests to ${route} failed`);
    target.cpu += processTreeCpuSeconds(server.pid) - cpu0;
    target.seconds += (performance.now() - t0) / 1000;
    target.requests += result.requests;
    return result.perSecond;
  };
  const ratios: number[] = [];
  let before = await run(bare, '/healthz', {});
  for (let round = 0; round < LOOKUP_ROUNDS; round++) {
    const rate = await run(lookup, path, auth);
    const after = await run(bare, '/healthz', {});
    ratios.push(rate / ((before + after) / 2));
    before = after;
  }
  const ratio = percentile(ratios, 50);
  const cpuRatio = (bare.cpu / bare.requests) / (lookup.cpu / lookup.requests);
  rows.push({ metric: 'GET /healthz (baseline)', value: `${Math.round(bare.requests / bare.seconds)} req/s, ${us(bare.cpu / bare.requests)} CPU`, goal: '' });
  rows.push({ metric: 'GET /api/ai/queue/:id', value: `${Math.round(lookup.requests / lookup.seconds)} req/s, ${us(lookup.cpu / lookup.requests)} CPU`, goal: '' });
  rows.push({ metric: `lookups / baseline (median of ${LOOKUP_ROUNDS} rounds)`, value: `${ratio.toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`, goal: '>= 0.85', met: ratio >= 0.85 });
  rows.push({ metric: 'baseline CPU per request / lookup CPU per request', value: cpuRatio.toFixed(2), goal: '' });
}

/** Seconds as microseconds, for CPU per request. */
function us(seconds: number): string {
  return `${(seconds * 1e6).toFixed(0)} µs`;
}

async function submits(server: ServerProcess, pool: Pool, inputVideo: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) ids.push(await submit(pool, server.apiKey, inputVideo));
  const samples = await measureLatency(async () => {
    ids.push(await submit(pool, server.apiKey, inputVideo));
  }, { count: SUBMITS, durationMs: 20_000 });
  rows.push({ metric: `POST /api/ai/queue p50 / p99 (n=${samples.length})`, value: `${ms(percentile(samples, 50))} / ${ms(percentile(samples, 99))}`, goal: '' });
  return ids;
}

interface Delivery {
  latencies: number[];
  missing: number;
  /** Seconds of the publishing process's CPU over the counted events, and of it the kernel's. */
  cpu: number;
  kernel: number;
}

/**
 * Publish `ids.length` events one at a time to `SUBSCRIBERS` subscribers, timing each
 * from just before the publishing request to each subscriber's arrival, and the CPU
 * of process `pid` across it. The first events warm up the write and parse paths (JIT)
 * and are not counted.
 */
async function deliver(subs: Subscribers, pid: number, ids: readonly string[], publish: (id: string) => Promise<void>): Promise<Delivery> {
  const WARMUP = 2;
  const result: Delivery = { latencies: [], missing: 0, cpu: 0, kernel: 0 };
  for (const [i, id] of ids.slice(0, EVENTS + WARMUP).entries()) {
    const cpu0 = processTreeCpuSeconds(pid);
    const kernel0 = processTreeSystemSeconds(pid);
    const t0 = wallNow();
    await publish(id);
    const arrivals = await subs.waitFor(id, SUBSCRIBERS, 5000 + SUBSCRIBERS);
    if (i < WARMUP) continue;
    result.cpu += processTreeCpuSeconds(pid) - cpu0;
    result.kernel += processTreeSystemSeconds(pid) - kernel0;
    result.missing += SUBSCRIBERS - arrivals.length;
    for (const t of arrivals) result.latencies.push(t - t0);
  }
  return result;
}

/**
 * The floor: the same subscriber process against a bare `node:net` server that writes
 * one shared buffer to every socket (bench/lib/bare-fanout-process.ts), in the same run.
 */
async function bareFloor(): Promise<number> {
  const bare = await startBareFanout();
  const pool = new Pool(bare.origin, { connections: 1 });
  try {
    const subs = await openSubscribers(bare.origin, 'none', SUBSCRIBERS);
    const ids = Array.from({ length: EVENTS + 2 }, (_, i) => `bare-${i}`);
    const floor = await deliver(subs, bare.pid, ids, async (id) => {
      const res = await pool.request({ method: 'POST', path: `/publish/${id}` });
      await res.body.dump();
    });
    await subs.close();
    const p99 = percentile(floor.latencies, 99);
    rows.push({
      metric: `floor: bare node:net fan-out p50 / p99, CPU per event (kernel)`,
      value: `${ms(percentile(floor.latencies, 50))} / ${ms(p99)}, ${ms((floor.cpu / EVENTS) * 1000)} (${ms((floor.kernel / EVENTS) * 1000)})`,
      goal: '',
    });
    return p99;
  } finally {
    await pool.close();
    await bare.stop();
  }
}

async function fanOut(server: ServerProcess, pool: Pool, queued: string[], floorP99: number): Promise<void> {
  const started = performance.now();
  const subs = await openSubscribers(server.origin, server.apiKey, SUBSCRIBERS);
  log(`${SUBSCRIBERS} subscribers connected in ${Math.round(performance.now() - started)} ms`);
  await sleep(500);
  const rssConnected = await server.rss();
  const { latencies, missing, cpu, kernel } = await deliver(subs, server.pid, queued, async (id) => {
    const res = await pool.request({ method: 'DELETE', path: `/api/ai/queue/${id}`, headers: { authorization: `Bearer ${server.apiKey}` } });
    await res.body.dump();
    if (res.statusCode !== 200) throw new Error(`DELETE answered ${res.statusCode}`);
  });
  const rssFanout = await server.rss();
  await subs.close();
  const p99 = percentile(latencies, 99);
  rows.push({
    metric: `SSE delivery p50 / p99 (${SUBSCRIBERS} subs x ${EVENTS} events)`,
    value: `${ms(percentile(latencies, 50))} / ${ms(p99)}`,
    goal: 'p99 < 100 ms',
    met: p99 < 100 && missing === 0,
  });
  rows.push({ metric: 'SSE p99 / the floor\'s p99', value: (p99 / floorP99).toFixed(2), goal: '' });
  rows.push({ metric: 'SSE deliveries missed', value: String(missing), goal: '0', met: missing === 0 });
  // Ticks are 10 ms, so the figure is the mean over the events, not one event's.
  rows.push({ metric: `server CPU per event (cancel + fan-out to ${SUBSCRIBERS}), of which kernel`, value: `${ms((cpu / EVENTS) * 1000)}, ${ms((kernel / EVENTS) * 1000)}`, goal: '' });
  const peak = Math.max(rssConnected, rssFanout);
  rows.push({ metric: `server RSS with ${SUBSCRIBERS} subscribers`, value: mb(peak), goal: '< 400 MB', met: peak < 400 * 1024 ** 2 });
}

async function bigUpload(server: ServerProcess): Promise<void> {
  const before = await server.rss();
  let peak = before;
  const sampler = setInterval(() => {
    server.rss().then((rss) => { peak = Math.max(peak, rss); }, () => undefined);
  }, 50);
  const upload = mediaUpload(UPLOAD_BYTES, UPLOAD_CLIP);
  const pool = new Pool(server.origin, { connections: 1, bodyTimeout: 120_000, headersTimeout: 120_000 });
  const t0 = performance.now();
  try {
    const res = await pool.request({
      method: 'POST',
      path: '/api/files',
      headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': upload.contentType, 'content-length': String(upload.contentLength) },
      body: upload.body,
    });
    const text = await res.body.text();
    if (res.statusCode !== 201) throw new Error(`upload answered ${res.statusCode}: ${text}`);
    const stored = (JSON.parse(text) as { bytes: number }).bytes;
    if (stored !== UPLOAD_BYTES) throw new Error(`upload stored ${stored} bytes, sent ${UPLOAD_BYTES}`);
  } finally {
    clearInterval(sampler);
    await pool.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  peak = Math.max(peak, await server.rss());
  const growth = peak - before;
  rows.push({
    metric: `RSS growth, ${mb(UPLOAD_BYTES)} upload (${(UPLOAD_BYTES / 1024 ** 2 / seconds).toFixed(0)} MB/s)`,
    value: mb(growth),
    goal: '< 50 MB',
    met: growth < 50 * 1024 ** 2,
  });
}


async function main(): Promise<void> {
  const loadAtStart = loadavg()[0]!;
  log('starting `retake serve --role api`');
  const server = await startServerProcess({ role: 'api' });
  const pool = new Pool(server.origin, { connections: 8 });
  try {
    await sleep(1000);
    const idle = await server.rss();
    rows.push({ metric: 'server RSS idle', value: mb(idle), goal: '< 150 MB', met: idle < 150 * 1024 ** 2 });
    const inputVideo = await uploadFixture(server, 'portrait.mp4');
    log('(a) status lookups vs /healthz');
    await lookups(server, pool, await submit(pool, server.apiKey, inputVideo));
    log('(b) submit latency');
    const queued = await submits(server, pool, inputVideo);
    log(`(c, d) SSE fan-out to ${SUBSCRIBERS} subscribers: the floor, then retake`);
    await fanOut(server, pool, queued, await bareFloor());
    log(`(e) ${mb(UPLOAD_BYTES)} upload`);
    await bigUpload(server);
  } finally {
    await pool.close();
    await server.stop();
  }
  rows.push({ metric: 'load average (1 min) at start / end', value: `${loadAtStart.toFixed(1)} / ${loadavg()[0]!.toFixed(1)}`, goal: '' });
  printTable(rows);
}

await main();
