/**
 * Blob storage: the public surface. The local-disk store serves both the embedded mode
 * and scale-out (pointed at a shared mount).
 */
export type { BlobInfo, BlobStore } from './types.ts';
export { assertBlobKey, createLocalBlobStore } from './local-disk.ts';
