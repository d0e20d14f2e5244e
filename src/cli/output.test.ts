import { describe, expect, it } from 'vitest';
import { RetakeError } from '../errors/index.ts';
import { EXIT_FAILURE, EXIT_USAGE, formatBytes, formatTable, reportError, UsageError } from './output.ts';

function report(err: unknown): { code: number; lines: string[] } {
  const lines: string[] = [];
  const code = reportError(err, (l) => lines.push(l));
  return { code, lines };
}

describe('reportError', () => {
  it('maps usage mistakes to exit 2 and lists each field problem', () => {
    const { code, lines } = report(new UsageError('invalid request:', [{ field: 'resolution (--resolution)', message: 'hdr: true needs resolution 720p or 1080p' }]));
    expect(code).toBe(EXIT_USAGE);
    expect(lines).toEqual(['retake: invalid request:', '  - resolution (--resolution): hdr: true needs resolution 720p or 1080p']);
  });

  it('prints a failure with its stable error code and exits 1', () => {
    const { code, lines } = report(new RetakeError('cancelled', 'Cancelled by the user'));
    expect(code).toBe(EXIT_FAILURE);
    expect(lines[0]).toBe('retake: error cancelled: Cancelled by the user');
  });

  it('treats anything else as an internal error', () => {
    expect(report(new Error('boom'))).toEqual({ code: EXIT_FAILURE, lines: ['retake: error internal_error: boom'] });
  });
});

describe('formatting', () => {
  it('aligns table columns to the widest cell', () => {
    expect(formatTable(['ID', 'NAME'], [['a', 'long name'], ['longer-id', 'x']])).toBe(
      ['ID         NAME', 'a          long name', 'longer-id  x'].join('\n'),
    );
  });

  it('prints sizes in human units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GB');
  });
});
