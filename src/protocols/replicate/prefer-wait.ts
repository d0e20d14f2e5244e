/**
 * `Prefer: wait` / `Prefer: wait=N`: how long a create call may hold the request for
 * the prediction to finish. Replicate caps it at 60 s, and so do we.
 */
const MAX_WAIT_S = 60;

/** Seconds to wait, or undefined when the header does not ask to wait. */
export function preferWaitSeconds(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header.join(',') : header ?? '';
  for (const part of value.split(/[,;]/)) {
    const match = /^\s*wait(?:\s*=\s*(\d+))?\s*$/i.exec(part);
    if (!match) continue;
    const n = match[1] === undefined ? MAX_WAIT_S : Number(match[1]);
    return Math.max(1, Math.min(MAX_WAIT_S, n));
  }
  return undefined;
}
