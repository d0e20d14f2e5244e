/**
 * The clips of a blind panel: a slow zoom and pan over a still photograph, 3 s at 30 fps,
 * in one of three exposures, and the frame of it the panel shows.
 */
import { execFile } from 'node:child_process';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { frameAt } from './render-server.ts';

const run = promisify(execFile);

/** The width of a panel tile and its source frame. */
export const TILE_WIDTH = 360;
/** Where in a clip (seconds) the panel's frame is taken. */
export const FRAME_AT = 1.5;

export type Variant = 'normal' | 'dark' | 'bright';
/** `dark`: two stops down, a shot in low light; `bright`: overexposed, a face in hard light. */
export const VARIANT_TONE: Record<Variant, string> = { normal: '', dark: ',eq=gamma=0.55:brightness=-0.06', bright: ',eq=gamma=1.8:brightness=0.08' };

export interface Clip {
  name: string;
  path: string;
}

/** The clip's name: the still's, with the variant after a dash unless `normal`. */
export function clipName(still: string, variant: Variant): string {
  return `${basename(still).replace(/\.[^.]+$/, '')}${variant === 'normal' ? '' : `-${variant}`}`;
}

/** A 3 s clip moving slowly over a still, in `variant`'s exposure, written into `dir`. */
export async function clipFromStill(still: string, dir: string, variant: Variant): Promise<Clip> {
  const name = clipName(still, variant);
  const path = join(dir, `${name}.mp4`);
  const tone = VARIANT_TONE[variant];
  const motion = "zoompan=z='1+0.0015*on':x='iw/2-(iw/zoom/2)+on*0.6':y='ih/2-(ih/zoom/2)':d=90:s=960x720:fps=30";
  await run('ffmpeg', ['-v', 'error', '-y', '-loop', '1', '-i', still, '-vf', `scale=1280:-2,${motion}${tone},format=yuv420p`, '-frames:v', '90', '-c:v', 'libx264', '-crf', '16', path]);
  return { name, path };
}

/** Where a panel keeps tile `n` of a clip's sheet, in the clip's folder `dir`. */
export function tilePath(dir: string, n: number | string): string {
  return join(dir, `tile-${String(n).padStart(2, '0')}.png`);
}

/** The panel's frame of a video (a clip or a render), `TILE_WIDTH` wide, as a PNG. */
export async function panelFrame(video: string, out: string): Promise<void> {
  await frameAt(video, FRAME_AT, out, `scale=${TILE_WIDTH}:-2`);
}
