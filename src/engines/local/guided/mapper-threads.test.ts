import { describe, expect, it } from 'vitest';
import { mapperThreads } from './index.ts';

describe('mapperThreads', () => {
  it('gives one thread per core, at most four', () => {
    expect(mapperThreads(960, 540, 1)).toBe(1);
    expect(mapperThreads(960, 540, 2)).toBe(2);
    expect(mapperThreads(1280, 720, 16)).toBe(4);
  });

  it('keeps 1080p frames to two threads, so the planes stay within their memory budget', () => {
    expect(mapperThreads(1920, 1080, 16)).toBe(2);
    expect(mapperThreads(1080, 1920, 16)).toBe(2);
  });
});
