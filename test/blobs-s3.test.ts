/**
 * The blob store contract against a real S3 server on loopback (s3rver), then what only
 * S3 has: presigned URLs, and requests signed correctly. s3rver accepts any signature,
 * so signing is checked by a proxy that verifies SigV4 the way S3 does (its own check is
 * pinned to the worked examples of AWS's documentation) before forwarding.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeBlobStoreContract } from '../src/blobs/blob-store.contract.ts';
import { createS3BlobStore } from '../src/blobs/s3.ts';
import { S3RVER_CREDENTIALS, startS3Server, type S3Server } from './support/s3-server.ts';
import { startSigV4Proxy, verifySigV4 } from './support/sigv4-proxy.ts';

let s3: S3Server;
beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => {
  await s3?.close();
});

describeBlobStoreContract('S3 (s3rver on loopback)', async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'retake-s3-work-'));
  const store = await createS3BlobStore({
    bucket: s3.bucket, endpoint: s3.endpoint, forcePathStyle: true, tmpDir: tmp,
    credentials: S3RVER_CREDENTIALS, partSize: 5 * 1024 * 1024, queueSize: 2,
  });
  return { store, cleanup: () => rm(tmp, { recursive: true, force: true }) };
});

describe('S3 blob store', () => {
  it('hands out a presigned URL that serves the blob and its ranges without credentials', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'retake-s3-work-'));
    try {
      const store = await createS3BlobStore({ bucket: s3.bucket, endpoint: s3.endpoint, forcePathStyle: true, tmpDir: tmp, credentials: S3RVER_CREDENTIALS });
      const key = `outputs/${randomUUID()}/video.mp4`;
      await store.putStream(Readable.from([Buffer.from('presigned bytes')]), key, 'video/mp4', 100);
      const url = new URL(await store.presign!(key, 60));
      expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
      expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
      const whole = await fetch(url);
      expect(whole.status).toBe(200);
      expect(whole.headers.get('content-type')).toBe('video/mp4');
      expect(await whole.text()).toBe('presigned bytes');
      const part = await fetch(url, { headers: { range: 'bytes=0-8' } });
      expect(part.status).toBe(206);
      expect(await part.text()).toBe('presigned');
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });

  it('signs response overrides into a presigned URL, so the store answers with retake\'s type, disposition and caching', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'retake-s3-work-'));
    try {
      const store = await createS3BlobStore({ bucket: s3.bucket, endpoint: s3.endpoint, forcePathStyle: true, tmpDir: tmp, credentials: S3RVER_CREDENTIALS });
      const key = `outputs/${randomUUID()}/frames.zip`;
      // Stored with a type a browser would render; the URL must not let it.
      await store.putStream(Readable.from([Buffer.from('<html><script>1</script>')]), key, 'text/html', 100);
      const url = new URL(await store.presign!(key, 60, { contentType: 'application/zip', contentDisposition: 'attachment; filename="frames.zip"' }));
      expect(url.searchParams.get('response-content-type')).toBe('application/zip');
      expect(url.searchParams.get('response-content-disposition')).toBe('attachment; filename="frames.zip"');
      // Part of the signature: a client cannot strip or change them without breaking it.
      expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/zip');
      expect(res.headers.get('content-disposition')).toBe('attachment; filename="frames.zip"');
      // Private to the key's owner, cached no longer than the URL lives.
      expect(url.searchParams.get('response-cache-control')).toBe('private, max-age=60');
      expect(res.headers.get('cache-control')).toBe('private, max-age=60');
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});

describe('S3 request signing (checked by a SigV4-verifying proxy, since s3rver checks none)', () => {
  const EXAMPLE_SECRET = { AKIAIOSFODNN7EXAMPLE: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

  it('the verifier reproduces the worked examples of AWS\'s SigV4 documentation', () => {
    const header = verifySigV4({
      method: 'GET', path: '/test.txt', query: '', body: Buffer.alloc(0),
      headers: {
        host: 'examplebucket.s3.amazonaws.com',
        range: 'bytes=0-9',
        'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        'x-amz-date': '20130524T000000Z',
        authorization: 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
      },
    }, EXAMPLE_SECRET, undefined);
    expect(header).toBeUndefined();
    const query = 'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404';
    const presigned = { method: 'GET', path: '/test.txt', query, headers: { host: 'examplebucket.s3.amazonaws.com' }, body: Buffer.alloc(0) };
    expect(verifySigV4(presigned, EXAMPLE_SECRET, undefined)).toBeUndefined();
    expect(verifySigV4({ ...presigned, path: '/other.txt' }, EXAMPLE_SECRET, undefined)).toBe('signature does not match');
    expect(verifySigV4(presigned, { AKIAIOSFODNN7EXAMPLE: 'not-the-secret' }, undefined)).toBe('signature does not match');
    expect(verifySigV4(presigned, EXAMPLE_SECRET, Date.now())).toBe('presigned URL expired');
  });

  it('every request the store sends (single and multipart uploads, ranges, deletes) carries a valid signature', async () => {
    const secret = { S3RVER: S3RVER_CREDENTIALS.secretAccessKey };
    const proxy = await startSigV4Proxy(s3.endpoint, secret);
    const tmp = await mkdtemp(join(tmpdir(), 'retake-s3-work-'));
    try {
      const store = await createS3BlobStore({
        bucket: s3.bucket, endpoint: proxy.endpoint, forcePathStyle: true, tmpDir: tmp,
        credentials: S3RVER_CREDENTIALS, partSize: 5 * 1024 * 1024,
      });
      const id = randomUUID();
      const big = Buffer.alloc(6 * 1024 * 1024, 3);
      await store.putStream(Readable.from([big.subarray(0, 3_000_000), big.subarray(3_000_000)]), `outputs/${id}/big.mp4`, 'video/mp4', big.length);
      await writeFile(join(tmp, 'small.mp4'), 'small');
      await store.putFile(join(tmp, 'small.mp4'), `outputs/${id}/small.mp4`, 'video/mp4');
      expect(await store.stat(`outputs/${id}/big.mp4`)).toEqual({ bytes: big.length, contentType: 'video/mp4' });
      const chunks: Buffer[] = [];
      for await (const c of store.read(`outputs/${id}/big.mp4`, { start: 10, end: 19 })) chunks.push(c as Buffer);
      expect(Buffer.concat(chunks)).toEqual(Buffer.alloc(10, 3));
      const presigned = await store.presign!(`outputs/${id}/small.mp4`, 30);
      expect(await (await fetch(presigned)).text()).toBe('small');
      await store.delete(`outputs/${id}/small.mp4`);
      await store.check();
      expect(proxy.refused).toEqual([]);
      expect(proxy.accepted).toBeGreaterThanOrEqual(9);

      // The same URL with its key swapped, and a client with the wrong secret, are refused.
      const swapped = presigned.replace('small.mp4', 'big.mp4');
      expect((await fetch(swapped)).status).toBe(403);
      const intruder = await createS3BlobStore({
        bucket: s3.bucket, endpoint: proxy.endpoint, forcePathStyle: true, tmpDir: tmp,
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'wrong' },
      });
      await expect(intruder.stat(`outputs/${id}/big.mp4`)).rejects.toThrow();
      expect(proxy.refused).toEqual(['signature does not match', 'signature does not match']);
    } finally {
      await proxy.close();
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
