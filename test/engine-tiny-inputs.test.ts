/**
 * Inputs of 0 to 3 bytes. Before the fix the probe's "does this look like media?" check
 * read a 4-byte magic number past the end of such a file and threw a RangeError, so the
 * job failed as `render_failed` (a server fault) instead of `input_not_media`.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalEngine } from '../src/engines/local/index.ts';
import type { EngineJob } from '../src/engines/types.ts';
import { RetakeError } from '../src/errors/index.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'retake-tiny-'));
});
afterAll(async () => rm(root, { recursive: true, force: true }));

describe('tiny inputs', () => {
  it.each([0, 1, 2, 3])('fails a %i-byte input with input_not_media', async (size) => {
    const workDir = await mkdtemp(join(root, 'job-'));
    const job: EngineJob = {
      generationId: 'gen_tiny',
      request: { prompt: 'watercolor', input_video: 'tiny.mp4', resolution: '540p', duration: '5s', hdr: false, exr_export: false },
      workDir,
      signal: new AbortController().signal,
      onProgress: () => undefined,
      async fetchInput(_url, name) {
        const dest = join(workDir, name);
        // An MP4's first bytes, cut to `size`: the worst case for a magic-number check.
        await writeFile(dest, Buffer.from([0, 0, 0, 0x18]).subarray(0, size));
        return dest;
      },
    };
    const err = await createLocalEngine().render(job).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetakeError);
    expect((err as RetakeError).code).toBe('input_not_media');
    expect(await readdir(workDir)).toEqual(['source']);
  });
});
