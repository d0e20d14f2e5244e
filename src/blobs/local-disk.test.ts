import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RetakeError } from '../errors/index.ts';
import { createLocalBlobStore } from './index.ts';
import type { BlobStore } from './types.ts';

let root: string;
let store: BlobStore;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'retake-blobs-'));
  store = await createLocalBlobStore(root);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('local disk blob store', () => {
  it('moves a finished file in and reports its size and type', async () => {
    const src = join(store.tmpDir, 'render.mp4');
    await writeFile(src, 'video bytes');
    const info = await store.putFile(src, 'outputs/gen_1/video.mp4', 'video/mp4');
    expect(info).toEqual({ bytes: 11, contentType: 'video/mp4' });
    expect(await store.stat('outputs/gen_1/video.mp4')).toEqual(info);
    expect(await readFile(store.pathOf('outputs/gen_1/video.mp4'), 'utf8')).toBe('video bytes');
    await expect(readFile(src)).rejects.toThrow(/ENOENT/);
  });

  it('streams a blob in and reads back whole or by byte range', async () => {
    await store.putStream(Readable.from([Buffer.from('0123'), Buffer.from('456789')]), 'uploads/u1/clip.webm', 'video/webm', 100);
    expect(await text(store.read('uploads/u1/clip.webm'))).toBe('0123456789');
    expect(await text(store.read('uploads/u1/clip.webm', { start: 2, end: 5 }))).toBe('2345');
  });

  it('refuses a stream past maxBytes and leaves no partial file behind', async () => {
    const source = Readable.from((function* () {
      for (let i = 0; i < 100; i++) yield Buffer.alloc(1024, 1);
    })());
    const err = await store.putStream(source, 'uploads/u2/big.bin', 'application/octet-stream', 10_000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetakeError);
    expect((err as RetakeError).code).toBe('payload_too_large');
    expect(source.destroyed).toBe(true);
    expect(await store.stat('uploads/u2/big.bin')).toBeUndefined();
    expect(await readdir(store.tmpDir)).toEqual([]);
  });

  it('accepts a stream of exactly maxBytes', async () => {
    const info = await store.putStream(Readable.from([Buffer.alloc(64)]), 'uploads/u3/exact.bin', 'application/octet-stream', 64);
    expect(info.bytes).toBe(64);
  });

  it('rejects keys that could escape the store', () => {
    for (const key of ['../etc/passwd', 'outputs/../../x', 'outputs/a/..', 'outputs/a/b/c', '/abs/a/b', 'Outputs/a/b', 'outputs/a/b c', 'outputs//b']) {
      expect(() => store.pathOf(key), key).toThrow(RetakeError);
    }
    expect(() => store.read('uploads/../x')).toThrow(RetakeError);
  });

  it('deletes a blob and answers undefined for missing ones', async () => {
    await store.putStream(Readable.from([Buffer.from('x')]), 'outputs/g2/a.mp4', 'video/mp4', 10);
    await store.delete('outputs/g2/a.mp4');
    expect(await store.stat('outputs/g2/a.mp4')).toBeUndefined();
    await expect(store.delete('outputs/g2/a.mp4')).resolves.toBeUndefined();
  });

  it('replaces a blob atomically when the same key is written again', async () => {
    await store.putStream(Readable.from([Buffer.from('old')]), 'outputs/g3/v.mp4', 'video/mp4', 10);
    await store.putStream(Readable.from([Buffer.from('newer')]), 'outputs/g3/v.mp4', 'video/quicktime', 10);
    expect(await store.stat('outputs/g3/v.mp4')).toEqual({ bytes: 5, contentType: 'video/quicktime' });
  });
});
