/**
 * How many uploads each key streams at once. An upload holds a socket and a part file
 * for as long as the client sends, so one key must not be able to take them all; past
 * the cap the answer is 429. Counted per process: every API node enforces it alone.
 */
import { RetakeError } from '../../errors/index.ts';

export interface UploadSlots {
  /** Take a slot for `keyId` or throw 429 `rate_limited`; the returned function frees it. */
  take(keyId: string): () => void;
}

export function createUploadSlots(maxPerKey: number): UploadSlots {
  const inUse = new Map<string, number>();
  return {
    take(keyId) {
      const used = inUse.get(keyId) ?? 0;
      if (used >= maxPerKey) {
        throw new RetakeError('rate_limited', `This key already has ${used} uploads in progress; wait for one to finish`, {
          headers: { 'retry-after': '1' },
        });
      }
      inUse.set(keyId, used + 1);
      let freed = false;
      return () => {
        if (freed) return;
        freed = true;
        const left = (inUse.get(keyId) ?? 1) - 1;
        if (left <= 0) inUse.delete(keyId);
        else inUse.set(keyId, left);
      };
    },
  };
}
