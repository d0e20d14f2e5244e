/** HTTP Range parsing for file serving: one `bytes=` range (a-b, a-, -n). */

export interface ByteRange {
  start: number;
  end: number;
}

/**
 * The one byte range of a `Range` header against a file of `size` bytes: undefined
 * when there is no usable header (serve the whole file, as RFC 9110 allows for
 * multi-range or malformed headers), 'unsatisfiable' when it lies past the end.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (start >= size) return 'unsatisfiable';
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (end < start) return undefined;
  return { start, end };
}
