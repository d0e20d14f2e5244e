/**
 * The content type of an input file, read from its first bytes: an uploaded file has no
 * trustworthy name, and providers want a media type beside inline or uploaded bytes.
 */
import { open } from 'node:fs/promises';

/** Sniff `path`; answers `fallback` for anything not recognised. */
export async function sniffMediaType(path: string, fallback: string): Promise<string> {
  const file = await open(path, 'r');
  const head = Buffer.alloc(16);
  try {
    await file.read(head, 0, 16, 0);
  } finally {
    await file.close();
  }
  const ascii = (from: number, to: number) => head.toString('latin1', from, to);
  if (head[0] === 0x89 && ascii(1, 4) === 'PNG') return 'image/png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (ascii(0, 4) === 'GIF8') return 'image/gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  if (ascii(4, 8) === 'ftyp') return ascii(8, 10) === 'qt' ? 'video/quicktime' : 'video/mp4';
  if (head.readUInt32BE(0) === 0x1a45dfa3) return 'video/webm';
  return fallback;
}

/** A file extension for a content type, for names the provider sees. */
export function extensionFor(contentType: string): string {
  const map: Record<string, string> = {
    'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp',
    'video/mp4': 'mp4', 'video/quicktime': 'mov', 'video/webm': 'webm',
    'application/zip': 'zip', 'image/x-exr': 'exr', 'image/aces': 'exr',
  };
  return map[contentType.split(';')[0]!.trim().toLowerCase()] ?? 'bin';
}

/**
 * The video type a URL's path names (`.mov`, `.webm`, `.mp4` ...), for a source passed
 * on by URL: the provider wants its type before fetching it. Default `video/mp4`.
 */
export function videoTypeOfUrl(url: string): string {
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // Not a URL: read it as a path.
  }
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  const map: Record<string, string> = { mov: 'video/quicktime', qt: 'video/quicktime', webm: 'video/webm', mkv: 'video/x-matroska', m4v: 'video/mp4' };
  return (ext && map[ext]) ?? 'video/mp4';
}
