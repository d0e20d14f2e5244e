import { describe, expect, it } from 'vitest';
import { isPlainlyLocalHost, isPublicHost, ownBlobKey } from './host-rules.ts';

const resolve = async (host: string) => {
  const table: Record<string, string[]> = { 'cdn.example.com': ['93.184.215.14'], 'rebind.example.com': ['93.184.215.14', '10.1.2.3'] };
  if (!table[host]) throw new Error('ENOTFOUND');
  return table[host].map((address) => ({ address, family: 4 }));
};

describe('host rules', () => {
  it.each([
    ['localhost', true], ['api.localhost', true], ['LOCALHOST', true], ['127.0.0.1', true], ['[::1]', true],
    ['10.0.0.8', true], ['169.254.169.254', true], ['[::ffff:10.0.0.1]', true],
    ['93.184.215.14', false], ['example.com', false], ['printer.local', false],
  ])('%s is plainly local: %s', (host, expected) => {
    expect(isPlainlyLocalHost(host)).toBe(expected);
  });

  it.each([
    ['cdn.example.com', true], ['93.184.215.14', true], ['rebind.example.com', false], ['nowhere.example.com', false],
    ['printer.local', false], ['metadata.google.internal', false], ['localhost', false], ['10.0.0.8', false],
  ])('%s can be reached from the internet: %s', async (host, expected) => {
    expect(await isPublicHost(host, resolve)).toBe(expected);
  });

  it("knows retake's own upload URLs and nothing else", () => {
    const base = 'https://retake.example.com';
    expect(ownBlobKey(`${base}/files/uploads/u1/clip.mp4?x=1`, base)).toBe('uploads/u1/clip.mp4');
    expect(ownBlobKey(`${base}/files/outputs/g1/video.mp4`, base)).toBeUndefined();
    expect(ownBlobKey(`${base}/files/uploads/../../etc/passwd`, base)).toBeUndefined();
    expect(ownBlobKey('https://elsewhere.example.com/files/uploads/u1/clip.mp4', base)).toBeUndefined();
    expect(() => ownBlobKey(`${base}/files/uploads/u1/%FF.mp4`, base)).toThrow(/malformed percent-escape/);
  });
});
