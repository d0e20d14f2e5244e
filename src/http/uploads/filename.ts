/**
 * The name an upload is stored under. A client's file name is reduced to safe
 * characters and only ever used as the last segment of a key retake generated.
 */

/** A client file name reduced to safe characters (never used as a path on its own). */
export function sanitiseFilename(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._-]+/, '').replace(/\.{2,}/g, '.').slice(-100);
  return cleaned || 'upload';
}
