import { describe, expect, it } from 'vitest';
import { isProviderReachable } from './reachable-input.ts';

const publicUrl = 'https://retake.example.com';
const dns = (table: Record<string, string[]>) => (host: string) =>
  table[host] ? Promise.resolve(table[host].map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))) : Promise.reject(new Error('ENOTFOUND'));
const resolve = dns({ 'cdn.example.com': ['93.184.215.14'], 'intranet.example.com': ['10.0.0.8'], 'mixed.example.com': ['93.184.215.14', '127.0.0.1'] });

describe('which inputs a provider can fetch itself', () => {
  it.each([
    ['https://cdn.example.com/clip.mp4', true],
    ['http://93.184.215.14/clip.mp4', true],
    [`${publicUrl}/files/uploads/u1/clip.mp4`, false],
    ['http://127.0.0.1:9000/clip.mp4', false],
    ['http://[::1]/clip.mp4', false],
    ['http://localhost/clip.mp4', false],
    ['https://intranet.example.com/clip.mp4', false],
    ['https://mixed.example.com/clip.mp4', false],
    ['https://unknown.example.com/clip.mp4', false],
    ['http://169.254.169.254/latest', false],
    ['https://user:pw@cdn.example.com/clip.mp4', false],
    ['ftp://cdn.example.com/clip.mp4', false],
  ])('%s → %s', async (url, expected) => {
    expect(await isProviderReachable(url, { publicUrl, resolve })).toBe(expected);
  });
});
