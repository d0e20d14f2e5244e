import { describe, expect, it } from 'vitest';
import { priceOf } from './pricing.ts';

const req = (resolution: '540p' | '720p' | '1080p', duration: '5s' | '10s', hdr = false, exr_export = false) => ({ resolution, duration, hdr, exr_export });

describe('pricing', () => {
  it('follows the published table for the hosted model', () => {
    expect(priceOf('luma-ray-v3-2', req('540p', '5s'))).toBe(0.72);
    expect(priceOf('luma-ray-v3-2', req('720p', '5s'))).toBe(1.08);
    expect(priceOf('luma-ray-v3-2', req('1080p', '10s'))).toBe(4.32);
    expect(priceOf('luma-ray-v3-2', req('720p', '5s', true))).toBe(2.16);
    expect(priceOf('luma-ray-v3-2', req('1080p', '10s', true))).toBe(8.64);
    expect(priceOf('luma-ray-v3-2', req('1080p', '5s', true, true))).toBe(6.48);
    expect(priceOf('luma-ray-v3-2', req('720p', '10s', true, true))).toBe(6.48);
  });

  it('charges nothing for the local engine', () => {
    expect(priceOf('free', req('1080p', '10s', true, true))).toBe(0);
  });
});
