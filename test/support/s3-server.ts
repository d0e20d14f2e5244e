/**
 * A real S3 server on loopback for tests: s3rver (filesystem-backed, speaks the S3 REST
 * protocol, multipart and ranges included). It does NOT verify SigV4 signatures — any
 * well-formed request with the access key `S3RVER` is accepted — so signing is tested
 * separately, through the verifying proxy in `sigv4-proxy.ts`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

/** The only credentials s3rver knows. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface S3Server {
  endpoint: string;
  bucket: string;
  close(): Promise<void>;
}

export async function startS3Server(bucket = 'retake-test'): Promise<S3Server> {
  const dir = await mkdtemp(join(tmpdir(), 'retake-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: bucket, configs: [] }] });
  const { port } = (await server.run()) as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
