import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { median } from './primitives.ts';

const run = promisify(execFile);
const flower = fileURLToPath(new URL('../../../../test/fixtures/media/flower.mp4', import.meta.url));

/** Three frames of flower.mp4 at `size` in planar RGB through `filters`, as bytes. */
async function framesThrough(filters: readonly string[], size = '640x360'): Promise<Buffer> {
  const graph = [`scale=${size.replace('x', ':')}`, 'format=gbrp', ...filters, 'format=rgb24'].join(',');
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-i', flower, '-frames:v', '3', '-vf', graph, '-f', 'rawvideo', '-'], { encoding: 'buffer', maxBuffer: 1 << 26 });
  return stdout;
}

describe('median', () => {
  it('makes the 3×3 median byte for byte as FFmpeg\'s median filter does, edges included', async () => {
    for (const size of ['640x360', '361x203']) {
      const [ours, theirs] = await Promise.all([framesThrough(median(1), size), framesThrough(['median=radius=1'], size)]);
      expect(ours.length).toBeGreaterThan(0);
      expect(ours.equals(theirs)).toBe(true);
    }
  });

  it('leaves wider medians to FFmpeg\'s median filter', () => {
    expect(median(2)).toEqual(['median=radius=2']);
  });
});
