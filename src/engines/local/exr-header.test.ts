import { describe, expect, it } from 'vitest';
import { RetakeError } from '../../errors/index.ts';
import { ACES_AP0, BT709 } from './colour-space.ts';
import { chromaticitiesAttribute, readChromaticities, readExrHeader, setExrAttributes } from './exr-header.ts';

const attr = (name: string, type: string, value: Buffer): Buffer => {
  const size = Buffer.alloc(4);
  size.writeInt32LE(value.length);
  return Buffer.concat([Buffer.from(`${name}\0${type}\0`, 'latin1'), size, value]);
};

/** A scanline EXR laid out like FFmpeg's: 3 lines, zips compression (one line per chunk). */
function tinyExr(): Buffer {
  const window = Buffer.alloc(16);
  window.writeInt32LE(1, 8);
  window.writeInt32LE(2, 12);
  const header = Buffer.concat([
    Buffer.from([0x76, 0x2f, 0x31, 0x01, 2, 0, 0, 0]),
    attr('compression', 'compression', Buffer.from([2])),
    attr('dataWindow', 'box2i', window),
    Buffer.alloc(1),
  ]);
  const chunks = [0, 1, 2].map((y) => {
    const chunk = Buffer.alloc(12);
    chunk.writeInt32LE(y, 0);
    chunk.writeInt32LE(4, 4);
    chunk.writeUInt32LE(0xabcd0000 + y, 8);
    return chunk;
  });
  const table = Buffer.alloc(24);
  chunks.forEach((_, i) => table.writeBigUInt64LE(BigInt(header.length + 24 + i * 12), i * 8));
  return Buffer.concat([header, table, ...chunks]);
}

/** The payload word of every chunk, found through the offset table. */
function chunkWords(buf: Buffer): number[] {
  const { end } = readExrHeader(buf);
  return [0, 1, 2].map((i) => {
    const offset = Number(buf.readBigUInt64LE(end + i * 8));
    expect(buf.readInt32LE(offset)).toBe(i);
    return buf.readUInt32LE(offset + 8);
  });
}

describe('exr-header', () => {
  it('adds chromaticities and shifts the offset table so every chunk is still found', () => {
    const original = tinyExr();
    expect(readChromaticities(original)).toBeUndefined();
    const patched = setExrAttributes(original, [chromaticitiesAttribute(ACES_AP0)]);
    expect(patched.length).toBe(original.length + 'chromaticities\0chromaticities\0'.length + 4 + 32);
    expect(readChromaticities(patched)).toEqual(ACES_AP0);
    expect(readExrHeader(patched).attributes.map((a) => a.name)).toEqual(['chromaticities', 'compression', 'dataWindow']);
    expect(chunkWords(patched)).toEqual(chunkWords(original));
  });

  it('replaces an existing attribute instead of adding a second one', () => {
    const once = setExrAttributes(tinyExr(), [chromaticitiesAttribute(BT709)]);
    const twice = setExrAttributes(once, [chromaticitiesAttribute(ACES_AP0)]);
    expect(twice.length).toBe(once.length);
    expect(readChromaticities(twice)).toEqual(ACES_AP0);
    expect(chunkWords(twice)).toEqual([0xabcd0000, 0xabcd0001, 0xabcd0002]);
  });

  it('refuses files it cannot patch safely', () => {
    const tiled = tinyExr();
    tiled.writeInt32LE(2 | 0x200, 4);
    expect(() => setExrAttributes(tiled, [])).toThrow(RetakeError);
    expect(() => setExrAttributes(Buffer.from('not an exr file'), [])).toThrow(/not an OpenEXR file/);
  });
});
