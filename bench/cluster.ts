/**
 * Cluster benchmark (`npm run bench:cluster`, root and iproute2 needed): builds the
 * namespaced cluster of the cluster test (data host with PostgreSQL, Redis and S3; API
 * and worker hosts) and measures
 *   (a) throughput of one batch of short jobs on 1 worker host, then on 2: jobs per
 *       minute and the ratio, with the CPU time per job (renders are CPU-bound, so on a
 *       machine with fewer cores than renders in flight the ratio is capped by the
 *       cores, and CPU per job shows that the work itself did not grow);
 *   (b) status lookups per second through 1 API host, then through 2.
 * Knobs: BENCH_JOBS (12) per batch, BENCH_SECONDS (3) per lookup run, BENCH_CONCURRENCY (1)
 * renders per worker host. BENCH_SHORT=1 runs it small (2 jobs per batch, 0.5 s lookup
 * runs) to check that it works.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { FormData, Pool } from 'undici';
import { startCluster, CLUSTER_KEY, type Cluster } from '../test/support/cluster/cluster.ts';
import { netnsAvailable, type Host } from '../test/support/cluster/netns.ts';
import { measureRate } from './lib/load.ts';
import { log, printTable, type Row } from './lib/report.ts';
import { knob } from './lib/short.ts';
import { sleep } from './lib/stats.ts';

const JOBS = knob('BENCH_JOBS', 12, 2);
const RATE_MS = knob('BENCH_SECONDS', 3, 0.5) * 1000;
const WARM_UP_JOBS = knob('BENCH_WARM_UP_JOBS', 2, 1);
const CONCURRENCY = knob('BENCH_CONCURRENCY', 1, 1);
const SOURCE = new URL('../test/fixtures/media/portrait.mp4', import.meta.url).pathname;
const TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
const rows: Row[] = [];

/** CPU seconds used so far by every process in `hosts`, reaped children (FFmpeg) included. */
async function cpuSeconds(hosts: Host[]): Promise<number> {
  let ticks = 0;
  for (const host of hosts) {
    for (const pid of await host.pids()) {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
      // Fields after the command name: utime, stime, cutime, cstime are the 12th to 15th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
    }
  }
  return ticks / TICKS;
}

async function batch(cluster: Cluster, inputUrl: string, label: string, jobs = JOBS): Promise<{ perMinute: number; cpuPerJob: number; labCpuPerJob: number; lastId: string }> {
  const api = cluster.apis[0]!;
  const workersBefore = await cpuSeconds(cluster.workers);
  const labBefore = await cpuSeconds([cluster.data, ...cluster.apis, ...cluster.workers]);
  const t0 = performance.now();
  const ids: string[] = [];
  for (let i = 0; i < jobs; i++) {
    const res = await cluster.fetch(api, '/api/ai/queue', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'retake-local', prompt: ['watercolor', 'film noir', 'pencil sketch'][i % 3], input_video: inputUrl }),
    });
    if (res.status !== 200) throw new Error(`submit answered ${res.status}: ${await res.text()}`);
    ids.push(((await res.json()) as { generations: { generation_id: string }[] }).generations[0]!.generation_id);
  }
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    const statuses = await Promise.all(ids.map(async (id) => ((await (await cluster.fetch(api, `/api/ai/queue/${id}`)).json()) as { status: string }).status));
    if (statuses.every((s) => s === 'succeeded')) break;
    if (statuses.some((s) => s === 'failed' || s === 'cancelled')) throw new Error(`a job did not succeed: ${statuses.join(',')}`);
    if (Date.now() > deadline) throw new Error('batch did not finish in 15 minutes');
    await sleep(100);
  }
  const minutes = (performance.now() - t0) / 60_000;
  // Settle so exited FFmpeg children are reaped into their parent's counters.
  await sleep(300);
  const cpuPerJob = ((await cpuSeconds(cluster.workers)) - workersBefore) / jobs;
  const labCpuPerJob = ((await cpuSeconds([cluster.data, ...cluster.apis, ...cluster.workers])) - labBefore) / jobs;
  log(`${label}: ${jobs} jobs in ${(minutes * 60).toFixed(1)} s`);
  return { perMinute: jobs / minutes, cpuPerJob, labCpuPerJob, lastId: ids.at(-1)! };
}

async function lookups(cluster: Cluster, apis: Host[], path: string): Promise<number> {
  const pools = apis.map((api) => new Pool(`http://${api.address}:8787`, { connect: { socketPath: cluster.socketPath(api) }, connections: 16 }));
  const auth = { authorization: `Bearer ${CLUSTER_KEY}` };
  try {
    await Promise.all(pools.map((pool) => measureRate(pool, path, auth, { durationMs: 500, concurrency: 16 })));
    const results = await Promise.all(pools.map((pool) => measureRate(pool, path, auth, { durationMs: RATE_MS, concurrency: 32 / pools.length })));
    const errors = results.reduce((n, r) => n + r.errors, 0);
    if (errors > 0) log(`${errors} lookups failed`);
    return results.reduce((n, r) => n + r.perSecond, 0);
  } finally {
    await Promise.all(pools.map((pool) => pool.close()));
  }
}

async function main(): Promise<void> {
  const why = await netnsAvailable();
  if (why) {
    log(`cannot build namespaced hosts: ${why}`);
    process.exitCode = 1;
    return;
  }
  const clipDir = await mkdtemp(join(tmpdir(), 'retake-bench-clip-'));
  const clip = join(clipDir, 'clip.mp4');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', SOURCE, '-t', '1', '-vf', 'scale=-2:180', '-c:v', 'libx264', '-preset', 'ultrafast', '-an', clip]);
  log('starting the cluster: data host, 1 API host, 1 worker host');
  const cluster = await startCluster(1, 1, { concurrency: CONCURRENCY, logLevel: 'warn' });
  try {
    const form = new FormData();
    form.append('file', new Blob([await readFile(clip)], { type: 'video/mp4' }), 'clip.mp4');
    const up = await cluster.fetch(cluster.apis[0]!, '/api/files', { method: 'POST', body: form });
    const inputUrl = ((await up.json()) as { url: string }).url;

    log('(a) warm-up jobs, then a batch on 1 worker host');
    await batch(cluster, inputUrl, 'warm-up', WARM_UP_JOBS);
    const one = await batch(cluster, inputUrl, '1 worker host');
    log('adding worker host 2');
    await cluster.addWorker();
    const two = await batch(cluster, inputUrl, '2 worker hosts');
    const ratio = two.perMinute / one.perMinute;
    rows.push({ metric: `jobs/min, 1 worker host (${JOBS} jobs, ${CONCURRENCY} render at once)`, value: one.perMinute.toFixed(1), goal: '' });
    rows.push({ metric: 'jobs/min, 2 worker hosts', value: two.perMinute.toFixed(1), goal: '' });
    rows.push({ metric: '2 hosts / 1 host', value: `${ratio.toFixed(2)}x`, goal: '>= 1.7x with the cores', met: ratio >= 1.7 });
    rows.push({ metric: 'worker CPU s per job, 1 host / 2 hosts', value: `${one.cpuPerJob.toFixed(2)} / ${two.cpuPerJob.toFixed(2)}`, goal: '' });
    rows.push({ metric: 'whole-cluster CPU s per job, 1 host / 2 hosts', value: `${one.labCpuPerJob.toFixed(2)} / ${two.labCpuPerJob.toFixed(2)}`, goal: '' });

    log('(b) status lookups through 1 API host, then 2');
    const path = `/api/ai/queue/${two.lastId}`;
    const single = await lookups(cluster, cluster.apis.slice(0, 1), path);
    await cluster.addApi();
    const double = await lookups(cluster, cluster.apis, path);
    rows.push({ metric: 'GET /api/ai/queue/:id, 1 API host', value: `${Math.round(single)} req/s`, goal: '' });
    rows.push({ metric: 'GET /api/ai/queue/:id, 2 API hosts', value: `${Math.round(double)} req/s`, goal: '' });
    rows.push({ metric: '2 API hosts / 1', value: `${(double / single).toFixed(2)}x`, goal: '' });
    rows.push({ metric: 'cores on this machine', value: String((await import('node:os')).availableParallelism()), goal: '' });
  } finally {
    await cluster.teardown();
    await rm(clipDir, { recursive: true, force: true });
  }
  printTable(rows);
}

await main();
