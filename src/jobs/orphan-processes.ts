/**
 * Reaping what a dead attempt left running. A worker killed mid-render may leave its
 * FFmpeg children behind (where they cannot be tied to its life, see the local
 * engine's parent-death wrapper); they keep writing into the attempt's work directory
 * and eat the CPU the re-run needs. Every such child names a path inside that
 * directory on its command line, so the re-run finds them by it (Linux `/proc`) and
 * kills them before it starts. Elsewhere this does nothing.
 */
import { readdir, readFile } from 'node:fs/promises';

/** SIGKILL every process of this user whose command line mentions `dirPrefix`; returns their pids. */
export async function killProcessesUsing(dirPrefix: string): Promise<number[]> {
  if (process.platform !== 'linux' || dirPrefix.length < 8) return [];
  const killed: number[] = [];
  const entries = await readdir('/proc').catch(() => [] as string[]);
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'latin1').catch(() => '');
    if (!cmdline.split('\0').some((arg) => arg.includes(dirPrefix))) continue;
    try {
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    } catch {
      // Gone already, or not ours to kill.
    }
  }
  return killed;
}
