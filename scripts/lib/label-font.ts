/**
 * The TrueType font the gallery and the blind panel label their tiles with (DejaVu Sans
 * bold, Debian's fonts-dejavu-core), or undefined when the machine has none.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export async function labelFont(): Promise<string | undefined> {
  try {
    const { stdout } = await promisify(execFile)('fc-match', ['-f', '%{file}', 'DejaVu Sans:bold']);
    return stdout.trim().endsWith('.ttf') ? stdout.trim() : undefined;
  } catch {
    return undefined;
  }
}
