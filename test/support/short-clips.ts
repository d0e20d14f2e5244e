/**
 * Short, small clips cut from the sample media, so protocol and client suites render
 * real `retake-local` jobs in well under a second each; served on loopback.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveDirectory } from '../../src/api/testing.ts';
import { MEDIA_DIR } from './media-server.ts';

export interface ShortClips {
  /** Directory holding `short.mp4` (1 s) and `long.mp4` (5 s), both 160 px tall. */
  dir: string;
  /** Served URL of a clip in `dir`. */
  url(name: 'short.mp4' | 'long.mp4'): string;
  close(): Promise<void>;
}

function cut(source: string, seconds: number, out: string): void {
  execFileSync('ffmpeg', [
    '-v', 'error', '-y', '-i', join(MEDIA_DIR, source), '-t', String(seconds), '-vf', 'scale=-2:160',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-an', out,
  ]);
}

export async function shortClips(): Promise<ShortClips> {
  const dir = await mkdtemp(join(tmpdir(), 'retake-clips-'));
  cut('flower.mp4', 1, join(dir, 'short.mp4'));
  cut('flower.mp4', 5, join(dir, 'long.mp4'));
  const server = await serveDirectory(dir);
  return {
    dir,
    url: (name) => `${server.url}/${name}`,
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
