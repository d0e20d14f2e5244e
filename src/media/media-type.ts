/**
 * What a media file is, decided from its first bytes: the one rule for uploads (only
 * the video and image containers retake can read are accepted, and the stored type is
 * the one found here, never the client's declared type) and for engines (the type a
 * hosted provider is told an input has). A browser trusts a served `Content-Type`;
 * trusting the client's would let anyone store an HTML or SVG page with a script on
 * retake's origin.
 */
import { open } from 'node:fs/promises';

/** Bytes of the head an upload is judged by (an MPEG-TS needs three 188-byte packets). */
export const SNIFF_BYTES = 4096;

function ascii(head: Buffer, start: number, end: number): string {
  return head.subarray(start, end).toString('latin1');
}

function isoBmffType(head: Buffer): string | undefined {
  const brand = ascii(head, 8, 12);
  if (brand === 'qt  ') return 'video/quicktime';
  if (brand === 'avif' || brand === 'avis') return 'image/avif';
  if (['heic', 'heix', 'heim', 'heis', 'mif1', 'msf1', 'hevc', 'hevx'].includes(brand)) return 'image/heic';
  // Audio-only brands are not something retake can edit.
  if (brand === 'M4A ' || brand === 'M4B ' || brand === 'M4P ' || brand === 'F4A ') return undefined;
  if (brand.startsWith('3g')) return 'video/3gpp';
  return 'video/mp4';
}

function isTransportStream(head: Buffer): boolean {
  if (head[0] !== 0x47 || head.length < 189) return false;
  // Sync bytes every 188 bytes, as far as the head reaches (at least two packets).
  for (let at = 188; at < head.length && at <= 188 * 3; at += 188) if (head[at] !== 0x47) return false;
  return true;
}

/**
 * The media type of a file whose first bytes are `head` (up to {@link SNIFF_BYTES}), or
 * undefined when it is not a video or image container retake accepts.
 */
export function sniffMediaType(head: Buffer): string | undefined {
  if (head.length < 4) return undefined;
  const box = ascii(head, 4, 8);
  if (box === 'ftyp' && head.length >= 12) return isoBmffType(head);
  if (box === 'moov' || box === 'mdat' || box === 'wide' || box === 'free') return 'video/quicktime';
  if (head.readUInt32BE(0) === 0x1a45dfa3) return ascii(head, 0, 64).includes('webm') ? 'video/webm' : 'video/x-matroska';
  if (ascii(head, 0, 4) === 'RIFF' && head.length >= 12) {
    const form = ascii(head, 8, 12);
    if (form === 'AVI ') return 'video/x-msvideo';
    if (form === 'WEBP') return 'image/webp';
    return undefined;
  }
  if (ascii(head, 0, 4) === 'OggS') return 'video/ogg';
  if (ascii(head, 0, 3) === 'FLV' && head[3] === 1) return 'video/x-flv';
  if (head.readUInt32BE(0) === 0x000001ba || head.readUInt32BE(0) === 0x000001b3) return 'video/mpeg';
  if (head.readUInt32BE(0) === 0x3026b275) return 'video/x-ms-asf';
  if (isTransportStream(head)) return 'video/mp2t';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.length >= 8 && head.readUInt32BE(0) === 0x89504e47 && head.readUInt32BE(4) === 0x0d0a1a0a) return 'image/png';
  if (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a') return 'image/gif';
  if (ascii(head, 0, 2) === 'BM' && head.length >= 14) return 'image/bmp';
  if (ascii(head, 0, 4) === 'II*\0' || ascii(head, 0, 4) === 'MM\0*') return 'image/tiff';
  return undefined;
}

/**
 * Whether a stored type may be shown inline by a browser: video and raster images only.
 * SVG is an image type that runs scripts, so it never is.
 */
export function isInlineSafe(contentType: string): boolean {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type.includes('svg') || type.includes('xml')) return false;
  return type.startsWith('video/') || type.startsWith('image/');
}

/** Sniff the file at `path`; answers `fallback` for anything not recognised. */
export async function sniffFile(path: string, fallback: string): Promise<string> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await file.read(head, 0, SNIFF_BYTES, 0);
    return sniffMediaType(head.subarray(0, bytesRead)) ?? fallback;
  } finally {
    await file.close();
  }
}

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp', 'image/avif': 'avif',
  'image/heic': 'heic', 'image/bmp': 'bmp', 'image/tiff': 'tiff',
  'video/mp4': 'mp4', 'video/quicktime': 'mov', 'video/webm': 'webm', 'video/x-matroska': 'mkv', 'video/3gpp': '3gp',
  'video/x-msvideo': 'avi', 'video/ogg': 'ogv', 'video/x-flv': 'flv', 'video/mpeg': 'mpg', 'video/mp2t': 'ts',
  'video/x-ms-asf': 'asf',
  'application/zip': 'zip', 'image/x-exr': 'exr', 'image/aces': 'exr',
};

/** A file extension for a content type, for names a provider sees; `bin` when unknown. */
export function extensionFor(contentType: string): string {
  return EXTENSIONS[contentType.split(';')[0]!.trim().toLowerCase()] ?? 'bin';
}
