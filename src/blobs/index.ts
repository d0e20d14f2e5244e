/**
 * Blob storage: the public surface. Local disk is the embedded default; an
 * S3-compatible bucket (`s3.ts`, loaded only when configured) serves deployments on
 * several hosts.
 */
export type { BlobInfo, BlobStore, ListedBlob, PresignHeaders } from './types.ts';
export { assertBlobKey, createLocalBlobStore, isBlobKey, type LocalBlobStore } from './local-disk.ts';
export type { S3BlobStoreOptions } from './s3.ts';
