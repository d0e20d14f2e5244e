/**
 * `--keyframe FRAME:FILE` (repeatable), shared by `retake edit` and `retake run`. FRAME
 * is a 0-based index in the source's frame grid (`48`) or a time in seconds (`2.5s`),
 * converted to the frame shown at that time with the source's own probed frame rate.
 * FILE is a path or a URL (everything after the first colon, so URLs keep theirs).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { probeMedia, type MediaFacts } from '../engines/local/probe.ts';
import type { KeyframeRef } from '../models/index.ts';
import { cliFetchInput } from './local-job.ts';
import { UsageError } from './output.ts';

export interface KeyframeFlag {
  /** What was typed, for messages. */
  text: string;
  frame?: number;
  seconds?: number;
  file: string;
}

/** Read one `FRAME:FILE`; a usage error names the flag and the two accepted forms. */
export function parseKeyframeFlag(text: string): KeyframeFlag {
  const colon = text.indexOf(':');
  const at = colon > 0 ? text.slice(0, colon).trim() : '';
  const file = colon > 0 ? text.slice(colon + 1) : '';
  if (file && /^\d+$/.test(at)) return { text, frame: Number(at), file };
  const time = /^(\d+(?:\.\d+)?)s$/.exec(at);
  if (file && time) return { text, seconds: Number(time[1]), file };
  throw new UsageError(`--keyframe ${text}: expected FRAME:FILE, where FRAME is a frame number (48) or a time in seconds (2.5s)`);
}

/** The source frame shown at `seconds`: the frame whose interval holds that time. */
export function frameAt(seconds: number, fps: number): number {
  // A hair of tolerance so 2.5 s at 30 fps is frame 75, not 74 from rounding error.
  return Math.floor(seconds * fps + 1e-6);
}

/** Probe the source once (a URL is fetched into a scratch directory through the guard). */
export async function probeSource(sourceUrl: string, config: Config): Promise<MediaFacts> {
  const scratch = await mkdtemp(join(tmpdir(), 'retake-keyframes-'));
  try {
    const path = await cliFetchInput(config, scratch, new AbortController().signal)(sourceUrl, 'source');
    return await probeMedia(path);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * The request's keyframes from the flags: images resolved by `imageUrl` (a `file:` URL
 * for `edit`, an upload for `run`), times converted with the source's frame rate.
 */
export async function keyframesFrom(
  flags: readonly KeyframeFlag[],
  imageUrl: (file: string) => Promise<string>,
  source: () => Promise<Pick<MediaFacts, 'fps'>>,
): Promise<KeyframeRef[]> {
  let fps: number | undefined;
  const keyframes: KeyframeRef[] = [];
  for (const flag of flags) {
    let frame = flag.frame;
    if (frame === undefined) {
      fps ??= (await source()).fps;
      if (!fps) throw new UsageError(`--keyframe ${flag.text}: the source has no frame rate to turn a time into a frame; give a frame number`);
      frame = frameAt(flag.seconds ?? 0, fps);
    }
    keyframes.push({ image: await imageUrl(flag.file), frame });
  }
  return keyframes;
}
