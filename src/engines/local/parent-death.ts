/**
 * FFmpeg children must die with the process that started them. They run in their own
 * process group (so a cancel can stop them and what they start), which also means a
 * SIGKILLed server does not take them along: before this, most renders went on for
 * minutes beside the re-run of their own job after a crash. On Linux each child is
 * started through util-linux's `setpriv --pdeathsig SIGKILL`, so the kernel kills it
 * the moment its parent dies, whatever killed the parent. Where setpriv is missing the
 * command runs as is, and the job runner reaps leftovers when it re-runs the job.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

let setpriv: string | null | undefined;

function findSetpriv(): string | null {
  if (process.platform !== 'linux') return null;
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(delimiter)) {
    const candidate = join(dir, 'setpriv');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** Exit status setpriv answers with when it could not start the command itself. */
export const LAUNCH_FAILED = 127;

/** `[command, args]` wrapped so the child is killed when this process dies (when possible). */
export function dieWithParent(command: string, args: string[]): { command: string; args: string[]; wrapped: boolean } {
  setpriv ??= findSetpriv();
  if (!setpriv) return { command, args, wrapped: false };
  return { command: setpriv, args: ['--pdeathsig', 'SIGKILL', '--', command, ...args], wrapped: true };
}
