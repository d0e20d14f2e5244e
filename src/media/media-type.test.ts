import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extensionFor, sniffFile, sniffMediaType } from './media-type.ts';

/** The head of an ISO-BMFF file: an `ftyp` box with `brand`, then a `meta` box. */
const isoHead = (brand: string): Buffer => Buffer.concat([
  Buffer.from([0, 0, 0, 0x1c]), Buffer.from(`ftyp${brand}`, 'latin1'), Buffer.alloc(4), Buffer.from(`mif1${brand}miaf`, 'latin1'),
  Buffer.from([0, 0, 0, 0x10]), Buffer.from('meta', 'latin1'), Buffer.alloc(8),
]);

describe('media type', () => {
  const dir = mkdtemp(join(tmpdir(), 'retake-media-'));
  afterAll(async () => rm(await dir, { recursive: true, force: true }));

  it('takes AVIF and HEIC for the images they are, not for MP4 (their box is the same family)', () => {
    expect(sniffMediaType(isoHead('avif'))).toBe('image/avif');
    expect(sniffMediaType(isoHead('heic'))).toBe('image/heic');
    expect(sniffMediaType(isoHead('isom'))).toBe('video/mp4');
  });

  it('gives the extension a provider expects for every type an upload can have', () => {
    expect(extensionFor('image/avif')).toBe('avif');
    expect(extensionFor('image/heic')).toBe('heic');
    expect(extensionFor('video/x-matroska')).toBe('mkv');
    expect(extensionFor('video/mp4; codecs=avc1')).toBe('mp4');
    expect(extensionFor('text/html')).toBe('bin');
  });

  it('sniffs a file on disk the same way, with a fallback for what it does not know', async () => {
    const avif = join(await dir, 'input-image');
    await writeFile(avif, isoHead('avif'));
    expect(await sniffFile(avif, 'image/png')).toBe('image/avif');
    const text = join(await dir, 'notes');
    await writeFile(text, 'hello, not media');
    expect(await sniffFile(text, 'video/mp4')).toBe('video/mp4');
  });
});
