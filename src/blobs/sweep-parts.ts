/**
 * Part files of uploads cut off by a crash. An upload streams into `<tmpDir>/<uuid>.part`
 * and is renamed into place when whole; a live upload writes at least once per stall
 * timeout (or is cut off and its part removed), so a part file untouched for longer
 * than that belongs to a process that died mid-upload. They are removed at start and
 * then now and again.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Remove `.part` files in `dir` not modified for `olderThanMs`; returns how many went. */
export async function sweepStaleParts(dir: string, olderThanMs: number, now = Date.now()): Promise<number> {
  let removed = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.endsWith('.part')) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (!info || now - info.mtimeMs <= olderThanMs) continue;
    await rm(path, { force: true });
    removed++;
  }
  return removed;
}
