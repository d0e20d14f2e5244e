import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RetakeError } from '../errors/index.ts';
import { describeBlobStoreContract } from './blob-store.contract.ts';
import { createLocalBlobStore } from './index.ts';

describeBlobStoreContract('local disk', async () => {
  const root = await mkdtemp(join(tmpdir(), 'retake-blobs-'));
  return { store: await createLocalBlobStore(root), cleanup: () => rm(root, { recursive: true, force: true }) };
});

describe('local disk blob store', () => {
  it('keeps blobs as plain files and never builds a path from a bad key', async () => {
    const root = await mkdtemp(join(tmpdir(), 'retake-blobs-'));
    try {
      const store = await createLocalBlobStore(root);
      const src = join(store.tmpDir, 'render.mp4');
      await writeFile(src, 'video bytes');
      await store.putFile(src, 'outputs/gen_1/video.mp4', 'video/mp4');
      expect(await readFile(store.pathOf('outputs/gen_1/video.mp4'), 'utf8')).toBe('video bytes');
      for (const key of ['../etc/passwd', 'outputs/../../x', 'outputs/a/b/c']) {
        expect(() => store.pathOf(key), key).toThrow(RetakeError);
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
