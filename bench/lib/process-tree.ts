/**
 * Resource figures of processes for the engine benchmark, read from /proc: the CPU time
 * of this process's reaped children (FFmpeg runs as one), and the summed resident
 * memory of a process and all its descendants, sampled while it works.
 */
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/**
 * Seconds of CPU (user + system) used by this process's children that have exited and
 * been waited for. The difference across a render is what its FFmpeg runs cost, which
 * other load on the machine does not inflate the way it inflates wall time.
 */
export function childCpuSeconds(): number {
  const [, , cutime, cstime] = cpuTicks('self');
  return (cutime + cstime) / TICKS_PER_SECOND;
}

/**
 * Seconds of CPU used by process `pid` itself and by its children that have exited
 * and been waited for: across a request, what the server and its renders cost.
 */
export function processTreeCpuSeconds(pid: number): number {
  return cpuTicks(String(pid)).reduce((a, b) => a + b, 0) / TICKS_PER_SECOND;
}

/**
 * Of {@link processTreeCpuSeconds}, the seconds spent in the kernel (system time): for
 * a server writing to thousands of sockets, the share no code of its own can remove.
 */
export function processTreeSystemSeconds(pid: number): number {
  const [, stime, , cstime] = cpuTicks(String(pid));
  return (stime + cstime) / TICKS_PER_SECOND;
}

/** utime, stime, cutime and cstime of a process, in clock ticks. */
function cpuTicks(pid: string): [number, number, number, number] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return [Number(fields[11]), Number(fields[12]), Number(fields[13]), Number(fields[14])];
}

async function childrenOf(pid: number): Promise<number[]> {
  const tasks = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  return tasks.split(' ').filter(Boolean).map(Number);
}

async function rssKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? 0);
}

/** Resident bytes of `pid` and every descendant, summed. */
export async function treeRss(pid: number): Promise<number> {
  let total = 0;
  const queue = [pid];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    total += await rssKb(next);
    queue.push(...(await childrenOf(next)));
  }
  return total * 1024;
}

export interface PeakSampler {
  /** Stop sampling and return the highest summed RSS seen, in bytes. */
  stop(): Promise<number>;
}

/** Sample {@link treeRss} of `pid` every `intervalMs` (default 50) until stopped. */
export function samplePeakRss(pid: number, intervalMs = 50): PeakSampler {
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      peak = Math.max(peak, await treeRss(pid));
      await new Promise((done) => setTimeout(done, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return peak;
    },
  };
}
