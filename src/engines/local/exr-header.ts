/**
 * Rewriting attributes in an OpenEXR header. FFmpeg's EXR encoder cannot write the
 * `chromaticities` attribute, and without it every reader assumes BT.709 primaries, so
 * the ACES2065-1 frames would be misread. The header is a plain attribute list
 * (`name\0 type\0 int32 size, value`, ended by an empty name) followed by the offset
 * table, whose absolute offsets move by the size the header grew.
 * Only single-part scanline files (what FFmpeg writes) are supported.
 */
import { RetakeError } from '../../errors/index.ts';
import type { Chromaticities } from './colour-space.ts';

const MAGIC = 20000630;
const TILED = 0x200;
const NON_IMAGE = 0x800;
const MULTIPART = 0x1000;
/** Scanlines per chunk for each compression code (OpenEXR file layout, table 2). */
const LINES_PER_CHUNK = [1, 1, 1, 16, 32, 16, 32, 32, 32, 256];

export interface ExrAttribute {
  name: string;
  type: string;
  value: Buffer;
}

interface ParsedHeader {
  attributes: ExrAttribute[];
  /** Byte offset just after the header's terminating empty name. */
  end: number;
}

const bad = (detail: string): RetakeError => new RetakeError('render_failed', `EXR frame cannot be patched: ${detail}`);

function readString(buf: Buffer, at: number): [string, number] {
  const zero = buf.indexOf(0, at);
  if (zero < 0) throw bad('unterminated header string');
  return [buf.toString('latin1', at, zero), zero + 1];
}

/** Parse the header attributes of a single-part scanline EXR file. */
export function readExrHeader(buf: Buffer): ParsedHeader {
  if (buf.length < 8 || buf.readInt32LE(0) !== MAGIC) throw bad('not an OpenEXR file');
  const flags = buf.readInt32LE(4);
  if (flags & (TILED | NON_IMAGE | MULTIPART)) throw bad('only single-part scanline files are supported');
  const attributes: ExrAttribute[] = [];
  let at = 8;
  for (;;) {
    const [name, afterName] = readString(buf, at);
    if (name === '') return { attributes, end: afterName };
    const [type, afterType] = readString(buf, afterName);
    const size = buf.readInt32LE(afterType);
    const start = afterType + 4;
    if (size < 0 || start + size > buf.length) throw bad(`attribute ${name} overruns the file`);
    attributes.push({ name, type, value: buf.subarray(start, start + size) });
    at = start + size;
  }
}

function chunkCount(attributes: readonly ExrAttribute[]): number {
  const window = attributes.find((a) => a.name === 'dataWindow')?.value;
  const compression = attributes.find((a) => a.name === 'compression')?.value;
  if (!window || window.length < 16 || !compression) throw bad('dataWindow or compression missing');
  const lines = window.readInt32LE(12) - window.readInt32LE(4) + 1;
  const perChunk = LINES_PER_CHUNK[compression.readUInt8(0)];
  if (perChunk === undefined) throw bad('unknown compression');
  return Math.ceil(lines / perChunk);
}

function encodeAttribute({ name, type, value }: ExrAttribute): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32LE(value.length);
  return Buffer.concat([Buffer.from(`${name}\0${type}\0`, 'latin1'), size, value]);
}

/**
 * A copy of the EXR file `buf` with `changes` set: an attribute of the same name is
 * replaced, a new one is added; the offset table is shifted to match.
 */
export function setExrAttributes(buf: Buffer, changes: readonly ExrAttribute[]): Buffer {
  const { attributes, end } = readExrHeader(buf);
  const chunks = chunkCount(attributes);
  const merged = [...attributes.filter((a) => !changes.some((c) => c.name === a.name)), ...changes];
  // Attributes sorted by name, as OpenEXR's own writer does.
  merged.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const header = Buffer.concat([buf.subarray(0, 8), ...merged.map(encodeAttribute), Buffer.alloc(1)]);
  const delta = BigInt(header.length - end);
  const table = Buffer.from(buf.subarray(end, end + chunks * 8));
  if (table.length < chunks * 8) throw bad('offset table is truncated');
  for (let i = 0; i < chunks; i++) table.writeBigUInt64LE(table.readBigUInt64LE(i * 8) + delta, i * 8);
  return Buffer.concat([header, table, buf.subarray(end + chunks * 8)]);
}

/** The `chromaticities` attribute for `gamut` (8 little-endian floats). */
export function chromaticitiesAttribute(gamut: Chromaticities): ExrAttribute {
  const value = Buffer.alloc(32);
  [gamut.red, gamut.green, gamut.blue, gamut.white].flat().forEach((v, i) => value.writeFloatLE(v, i * 4));
  return { name: 'chromaticities', type: 'chromaticities', value };
}

/** Read back the `chromaticities` attribute, if any. */
export function readChromaticities(buf: Buffer): Chromaticities | undefined {
  const value = readExrHeader(buf).attributes.find((a) => a.name === 'chromaticities')?.value;
  if (!value || value.length !== 32) return undefined;
  const f = (i: number): number => Math.round(value.readFloatLE(i * 4) * 1e5) / 1e5;
  return { red: [f(0), f(1)], green: [f(2), f(3)], blue: [f(4), f(5)], white: [f(6), f(7)] };
}
