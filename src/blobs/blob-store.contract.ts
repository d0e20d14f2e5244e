/**
 * The blob store contract: what uploads, renders and `/files` rely on, run unchanged
 * against every backend (local disk beside this file, S3 under test/). A backend is
 * given as a factory that opens a fresh, empty store and a cleanup.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RetakeError } from '../errors/index.ts';
import type { BlobStore } from './types.ts';

export interface BlobStoreHarness {
  store: BlobStore;
  cleanup(): Promise<void>;
}

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A deterministic pseudo-random buffer, so a byte out of place is noticed. */
function patterned(size: number): Buffer {
  const buf = Buffer.alloc(size);
  let x = 2463534242;
  for (let i = 0; i < size; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    buf[i] = x & 0xff;
  }
  return buf;
}

export function describeBlobStoreContract(name: string, open: () => Promise<BlobStoreHarness>): void {
  describe(`blob store contract: ${name}`, () => {
    let harness: BlobStoreHarness;
    let store: BlobStore;
    let scratch: string;

    beforeEach(async () => {
      harness = await open();
      store = harness.store;
      scratch = await mkdtemp(join(tmpdir(), 'retake-blob-contract-'));
    });
    afterEach(async () => {
      await harness.cleanup();
      await rm(scratch, { recursive: true, force: true });
    });

    it('moves a finished file in, reports its size and type, and removes the source', async () => {
      const src = join(store.tmpDir, 'render.mp4');
      await writeFile(src, 'video bytes');
      const info = await store.putFile(src, 'outputs/gen_1/video.mp4', 'video/mp4');
      expect(info).toEqual({ bytes: 11, contentType: 'video/mp4' });
      expect(await store.stat('outputs/gen_1/video.mp4')).toEqual(info);
      expect((await bytesOf(store.read('outputs/gen_1/video.mp4'))).toString()).toBe('video bytes');
      await expect(readFile(src)).rejects.toThrow(/ENOENT/);
    });

    it('streams a blob in and reads it back whole, by byte range, and to a file', async () => {
      await store.putStream(Readable.from([Buffer.from('0123'), Buffer.from('456789')]), 'uploads/u1/clip.webm', 'video/webm', 100);
      expect((await bytesOf(store.read('uploads/u1/clip.webm'))).toString()).toBe('0123456789');
      expect((await bytesOf(store.read('uploads/u1/clip.webm', { start: 2, end: 5 }))).toString()).toBe('2345');
      expect((await bytesOf(store.read('uploads/u1/clip.webm', { start: 9, end: 9 }))).toString()).toBe('9');
      const dest = join(scratch, 'input.webm');
      await store.download('uploads/u1/clip.webm', dest);
      expect(await readFile(dest, 'utf8')).toBe('0123456789');
    });

    it('keeps a large blob intact across parts and serves any range of it', async () => {
      // Larger than one multipart part (5 MiB at least on S3), fed in small chunks.
      const data = patterned(11 * 1024 * 1024 + 123);
      const chunks = function* () {
        for (let i = 0; i < data.length; i += 64 * 1024) yield data.subarray(i, i + 64 * 1024);
      };
      const info = await store.putStream(Readable.from(chunks()), 'outputs/big/video.mp4', 'video/mp4', data.length);
      expect(info.bytes).toBe(data.length);
      expect((await store.stat('outputs/big/video.mp4'))?.bytes).toBe(data.length);
      const whole = await bytesOf(store.read('outputs/big/video.mp4'));
      expect(whole.equals(data)).toBe(true);
      const start = 5 * 1024 * 1024 - 7;
      const end = 6 * 1024 * 1024 + 11;
      const part = await bytesOf(store.read('outputs/big/video.mp4', { start, end }));
      expect(part.equals(data.subarray(start, end + 1))).toBe(true);
    });

    it('refuses a stream past maxBytes and leaves nothing behind', async () => {
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

    it('accepts a stream of exactly maxBytes, and an empty one', async () => {
      expect((await store.putStream(Readable.from([Buffer.alloc(64)]), 'uploads/u3/exact.bin', 'application/octet-stream', 64)).bytes).toBe(64);
      expect(await store.putStream(Readable.from([]), 'uploads/u3/empty.bin', 'text/plain', 64)).toEqual({ bytes: 0, contentType: 'text/plain' });
      expect(await store.stat('uploads/u3/empty.bin')).toEqual({ bytes: 0, contentType: 'text/plain' });
    });

    it('fails the upload when the client stream breaks, and stores nothing', async () => {
      const source = new Readable({ read() {} });
      source.push(Buffer.alloc(1000, 7));
      setTimeout(() => source.destroy(new Error('client went away')), 20);
      await expect(store.putStream(source, 'uploads/u4/cut.bin', 'application/octet-stream', 1_000_000)).rejects.toThrow(/client went away/);
      expect(await store.stat('uploads/u4/cut.bin')).toBeUndefined();
    });

    it('holds no blob under a key that could escape the store or is too long for a file name, and reads none', async () => {
      const keys = [
        '../etc/passwd', 'outputs/../../x', 'outputs/a/..', 'outputs/a/b/c', '/abs/a/b', 'Outputs/a/b', 'outputs/a/b c', 'outputs//b',
        `uploads/${'a'.repeat(300)}/x.mp4`, `uploads/u1/${'b'.repeat(5000)}.mp4`,
      ];
      for (const key of keys) {
        expect(await store.stat(key), key).toBeUndefined();
        expect(() => store.read(key), key).toThrow(RetakeError);
      }
    });

    it('deletes a blob and answers undefined for missing ones', async () => {
      expect(await store.stat('outputs/none/a.mp4')).toBeUndefined();
      await store.putStream(Readable.from([Buffer.from('x')]), 'outputs/g2/a.mp4', 'video/mp4', 10);
      await store.delete('outputs/g2/a.mp4');
      expect(await store.stat('outputs/g2/a.mp4')).toBeUndefined();
      await expect(store.delete('outputs/g2/a.mp4')).resolves.toBeUndefined();
    });

    it('replaces a blob when the same key is written again (a re-run render)', async () => {
      await store.putStream(Readable.from([Buffer.from('old')]), 'outputs/g3/v.mp4', 'video/mp4', 10);
      await store.putStream(Readable.from([Buffer.from('newer')]), 'outputs/g3/v.mp4', 'video/quicktime', 10);
      expect(await store.stat('outputs/g3/v.mp4')).toEqual({ bytes: 5, contentType: 'video/quicktime' });
      expect((await bytesOf(store.read('outputs/g3/v.mp4'))).toString()).toBe('newer');
    });

    it('lists the blobs of a kind, or of one id, with their size and time', async () => {
      const before = Date.now() - 60_000;
      await store.putStream(Readable.from([Buffer.from('abc')]), 'parts/l1/part-1', 'application/octet-stream', 10);
      await store.putStream(Readable.from([Buffer.from('de')]), 'parts/l1/part-2', 'application/octet-stream', 10);
      await store.putStream(Readable.from([Buffer.from('f')]), 'parts/l2/part-1', 'application/octet-stream', 10);
      const one = (await store.list('parts/l1/')).sort((a, b) => a.key.localeCompare(b.key));
      expect(one.map((b) => [b.key, b.bytes])).toEqual([['parts/l1/part-1', 3], ['parts/l1/part-2', 2]]);
      expect(one.every((b) => b.modifiedMs > before)).toBe(true);
      expect((await store.list('parts/')).map((b) => b.key).sort()).toEqual(['parts/l1/part-1', 'parts/l1/part-2', 'parts/l2/part-1']);
      expect(await store.list('parts/none/')).toEqual([]);
      await expect(store.list('../')).rejects.toThrow(RetakeError);
    });

    it('answers the readiness check', async () => {
      await expect(store.check()).resolves.toBeUndefined();
    });
  });
}
