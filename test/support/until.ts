/**
 * Waiting for a condition in tests without fixed sleeps: poll a predicate every few
 * milliseconds and fail with a clear message when it does not come true in time.
 */
import { scaled } from './deadline.ts';

/** Resolves when `predicate` holds, polling every few ms; rejects after `timeoutMs` (default 5000), scaled by the machine's load. */
export async function until(predicate: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + scaled(timeoutMs);
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
