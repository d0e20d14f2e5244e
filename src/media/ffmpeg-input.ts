/**
 * What FFmpeg may open when it reads an input: the one file it was given, over the
 * `file` protocol alone, through one of the demuxers of the containers retake accepts.
 * FFmpeg would otherwise follow whatever a file names: an HLS or DASH playlist's
 * segments (`file:///…`, `/abs/path`, `../rel`, `http://127.0.0.1/…`), an ffconcat
 * list's entries, an image-sequence pattern's numbered files. Every ffprobe and FFmpeg
 * read of an input (probe, analysis, render, guided decode, the hosted engines' check)
 * takes its `-i` from here, so a playlist is refused at the demuxer, before it opens
 * anything, and a probe cannot pick a different container from a later decode.
 */
import { RetakeError } from '../errors/index.ts';

/**
 * The demuxers an input may be read with (FFmpeg's short names; `mov` is also MP4,
 * 3GP, AVIF and HEIC, `matroska` also WebM). `image2` is the single-picture reader a
 * `.jpg` name gets; its sequence patterns are kept out by {@link ffmpegInput}.
 */
export const INPUT_DEMUXERS = [
  'mov', 'matroska', 'avi', 'mpegts', 'mpeg', 'asf', 'flv', 'ogg', 'gif',
  'image2', 'png_pipe', 'jpeg_pipe', 'webp_pipe', 'bmp_pipe', 'tiff_pipe',
] as const;

/** Characters that turn a file name into an image2 pattern (a sequence or a glob). */
const PATTERN = /[%*?[\]{}]/;

export const CONTAINER_REFUSED_DETAIL =
  'Input is a playlist, a list of other files or a container retake does not read (HLS, DASH, ffconcat, an image sequence ...)';

/**
 * The input options and `-i` for reading `path` (a local file in the job's work
 * directory). Throws `input_container_refused` for a name FFmpeg would read as a pattern.
 */
export function ffmpegInput(path: string): string[] {
  if (PATTERN.test(path)) throw new RetakeError('input_container_refused', CONTAINER_REFUSED_DETAIL);
  return ['-protocol_whitelist', 'file', '-format_whitelist', INPUT_DEMUXERS.join(','), '-i', path];
}

/**
 * Whether FFmpeg's stderr says it refused the input under {@link ffmpegInput}'s rules:
 * a demuxer outside the list (`Format not on whitelist`), or a reference to another
 * protocol (`Protocol 'http' not on whitelist 'file'`).
 */
export function isContainerRefusal(stderr: string): boolean {
  return /not on (?:the )?whitelist/i.test(stderr);
}
