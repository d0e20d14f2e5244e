/**
 * Failed authentication, limited per client address: an address that presented
 * {@link AUTH_FAILURES_PER_MINUTE} wrong keys within a minute is answered 429
 * `rate_limited` (with Retry-After) for every key it sends until its minute is over,
 * so keys cannot be guessed at request speed. Counted in this process (each API node
 * counts its own); at most {@link MAX_ADDRESSES} addresses are remembered.
 */
import { RetakeError } from '../errors/index.ts';

export const AUTH_FAILURES_PER_MINUTE = 30;
const WINDOW_MS = 60_000;
const MAX_ADDRESSES = 10_000;

export interface AuthFailures {
  /** Throws `rate_limited` when `address` is over its limit. */
  check(address: string): void;
  /** Count one wrong key from `address`. */
  failed(address: string): void;
}

export function createAuthFailures(options: { perMinute?: number; now?: () => number } = {}): AuthFailures {
  const limit = options.perMinute ?? AUTH_FAILURES_PER_MINUTE;
  const now = options.now ?? Date.now;
  const windows = new Map<string, { count: number; resetAt: number }>();

  const current = (address: string) => {
    const w = windows.get(address);
    if (w && w.resetAt <= now()) {
      windows.delete(address);
      return undefined;
    }
    return w;
  };

  return {
    check(address) {
      if (limit <= 0) return;
      const w = current(address);
      if (!w || w.count < limit) return;
      const seconds = Math.max(1, Math.ceil((w.resetAt - now()) / 1000));
      throw new RetakeError('rate_limited', `Too many invalid API keys from this address; retry in ${seconds} s`, {
        headers: { 'retry-after': String(seconds) },
      });
    },
    failed(address) {
      const w = current(address);
      if (w) {
        w.count++;
        return;
      }
      if (windows.size >= MAX_ADDRESSES) {
        for (const [a, old] of windows) if (old.resetAt <= now()) windows.delete(a);
        if (windows.size >= MAX_ADDRESSES) windows.clear();
      }
      windows.set(address, { count: 1, resetAt: now() + WINDOW_MS });
    },
  };
}
