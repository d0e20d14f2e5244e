/**
 * The frame cache of the guided benches (GUIDED_CACHE): decoded source frames and
 * restyled frames of each evaluation pair, kept between runs so a rerun only learns
 * and maps. bench/guided-quality.ts fills it; bench/guided-alignment.ts and
 * bench/guided-variants.ts read it. One file per key: a 4-byte header length, a JSON
 * header of frames (index, width, height), then the RGB bytes of each frame in turn.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RgbFrame } from '../../src/engines/local/guided/metrics.ts';

export type Frames = Map<number, RgbFrame>;

/** The frames stored under `key`, or undefined when the cache has none. */
export async function readFrames(cache: string, key: string): Promise<Frames | undefined> {
  const path = join(cache, `${key}.bin`);
  if (!existsSync(path)) return undefined;
  const buffer = await readFile(path);
  const headerLength = buffer.readUInt32LE(0);
  const header = JSON.parse(buffer.subarray(4, 4 + headerLength).toString()) as { index: number; width: number; height: number }[];
  let offset = 4 + headerLength;
  const frames: Frames = new Map();
  for (const h of header) {
    const size = h.width * h.height * 3;
    frames.set(h.index, { width: h.width, height: h.height, data: new Uint8Array(buffer.subarray(offset, offset + size)) });
    offset += size;
  }
  return frames;
}

export async function writeFrames(cache: string, key: string, frames: Frames): Promise<void> {
  const header = Buffer.from(JSON.stringify([...frames].map(([index, f]) => ({ index, width: f.width, height: f.height }))));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  await mkdir(cache, { recursive: true });
  await writeFile(join(cache, `${key}.bin`), Buffer.concat([length, header, ...[...frames.values()].map((f) => Buffer.from(f.data))]));
}

/** The cached frames of `key`, or `make()`'s, stored for next time (no cache: just `make()`). */
export async function cachedFrames(cache: string | undefined, key: string, make: () => Promise<Frames>): Promise<Frames> {
  if (!cache) return make();
  const found = await readFrames(cache, key);
  if (found) return found;
  const frames = await make();
  await writeFrames(cache, key, frames);
  return frames;
}
