/** API keys: create, authenticate, list, revoke, and ensure a bootstrap key. */
export { createKeyService, generateSecret, hashSecret } from './key-service.ts';
export type { KeyService } from './types.ts';
