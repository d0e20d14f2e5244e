/**
 * Blob store in an S3-compatible bucket, for deployments on several hosts that share no
 * filesystem. Bytes stream both ways: uploads go through lib-storage's multipart
 * `Upload` (memory bounded by part size × parts in flight, whatever the file size),
 * reads are a ranged `GetObject` whose body is piped to the client. The content type is
 * the object's own `Content-Type`, so no metadata objects are needed.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, ListObjectsV2Command, S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { byteLimit } from './byte-limit.ts';
import { assertBlobKey, isBlobKey, parseBlobPrefix } from './local-disk.ts';
import type { BlobInfo, BlobStore, ListedBlob } from './types.ts';

export interface S3BlobStoreOptions {
  /** Bucket name (RETAKE_S3_BUCKET); it must exist. */
  bucket: string;
  /** Endpoint of an S3-compatible service (RETAKE_S3_ENDPOINT); default: AWS for `region`. */
  endpoint?: string | undefined;
  /** Region (RETAKE_S3_REGION); default `us-east-1`. */
  region?: string | undefined;
  /** Path-style URLs, `endpoint/bucket/key` (RETAKE_S3_FORCE_PATH_STYLE); most self-hosted servers need it. Default false. */
  forcePathStyle?: boolean | undefined;
  /** Local directory for work files (renders, downloaded inputs); created when missing. */
  tmpDir: string;
  /** Credentials; default: the AWS SDK's standard chain (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, profiles, roles). */
  credentials?: S3ClientConfig['credentials'];
  /** Multipart part size in bytes, default 8 MiB (S3's minimum is 5 MiB). */
  partSize?: number;
  /** Parts uploaded at once, default 4: with partSize, the most an upload holds in memory. */
  queueSize?: number;
}

const FALLBACK_TYPE = 'application/octet-stream';

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
}

/** The SDK's client for these options (exported for tests that sign requests). */
export function s3ClientFor(options: Omit<S3BlobStoreOptions, 'tmpDir' | 'bucket'>): S3Client {
  return new S3Client({
    region: options.region ?? 'us-east-1',
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle ?? false,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    // Recent SDKs add CRC checksums (with aws-chunked trailers) to every upload by
    // default; many S3-compatible servers reject those. Send them only where S3 requires.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** Open a blob store on an existing bucket (nothing is sent until first use). */
export async function createS3BlobStore(options: S3BlobStoreOptions): Promise<BlobStore> {
  const { bucket, tmpDir } = options;
  const client = s3ClientFor(options);
  await mkdir(tmpDir, { recursive: true });

  async function upload(body: Readable, key: string, contentType: string): Promise<void> {
    const task = new Upload({
      client,
      params: { Bucket: bucket, Key: key, Body: body, ContentType: contentType },
      partSize: options.partSize ?? 8 * 1024 * 1024,
      queueSize: options.queueSize ?? 4,
      // A failed multipart upload is aborted so no orphan parts are billed.
      leavePartsOnError: false,
    });
    await task.done();
  }

  async function getBody(key: string, range?: { start: number; end: number }): Promise<Readable> {
    const res = await client.send(new GetObjectCommand({
      Bucket: bucket, Key: key, ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
    }));
    if (!(res.Body instanceof Readable)) throw new Error('S3 answered without a body stream');
    return res.Body;
  }

  async function deleteKey(key: string): Promise<void> {
    assertBlobKey(key);
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  }

  return {
    kind: 's3',
    tmpDir,

    async putFile(srcPath, key, contentType) {
      assertBlobKey(key);
      const { size } = await stat(srcPath);
      await upload(createReadStream(srcPath), key, contentType);
      await rm(srcPath, { force: true });
      return { bytes: size, contentType };
    },

    async putStream(source, key, contentType, maxBytes): Promise<BlobInfo> {
      assertBlobKey(key);
      const limiter = byteLimit(maxBytes);
      let streamError: Error | undefined;
      source.on('error', (err) => limiter.destroy(err));
      limiter.on('error', (err) => {
        streamError ??= err;
      });
      source.pipe(limiter);
      try {
        await upload(limiter, key, contentType);
      } catch (err) {
        source.destroy();
        // The limit (or the client's own stream) failed the upload: report that, not the SDK's wrapper.
        if (streamError) throw streamError;
        throw err;
      }
      if (streamError) {
        source.destroy();
        await deleteKey(key).catch(() => undefined);
        throw streamError;
      }
      return { bytes: limiter.bytes(), contentType };
    },

    async stat(key) {
      if (!isBlobKey(key)) return undefined;
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return { bytes: head.ContentLength ?? 0, contentType: head.ContentType || FALLBACK_TYPE };
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },

    async download(key, destPath) {
      assertBlobKey(key);
      await pipeline(await getBody(key), createWriteStream(destPath));
    },

    read(key, range) {
      assertBlobKey(key);
      // The request starts when the stream is first read; a destroyed stream (client gone) stops it.
      return Readable.from((async function* () {
        yield* await getBody(key, range);
      })(), { objectMode: false });
    },

    async list(prefix) {
      parseBlobPrefix(prefix);
      const found: ListedBlob[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        for (const item of page.Contents ?? []) {
          if (item.Key) found.push({ key: item.Key, bytes: item.Size ?? 0, modifiedMs: item.LastModified?.getTime() ?? 0 });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return found;
    },

    delete: deleteKey,

    async presign(key, expiresInS, headers = {}) {
      assertBlobKey(key);
      // Outputs belong to one key's owner: no shared cache keeps them, and a browser
      // keeps them no longer than the URL itself lives (as /files/ answers itself).
      const command = new GetObjectCommand({
        Bucket: bucket, Key: key, ResponseContentType: headers.contentType, ResponseContentDisposition: headers.contentDisposition,
        ResponseCacheControl: `private, max-age=${Math.max(0, Math.floor(expiresInS))}`,
      });
      return getSignedUrl(client, command, { expiresIn: expiresInS });
    },

    async check() {
      await client.send(new HeadBucketCommand({ Bucket: bucket }));
    },
  };
}
