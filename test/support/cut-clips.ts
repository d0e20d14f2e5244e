/**
 * Clips with scene cuts for measuring keyframes: shots taken from the fixture clips
 * (and a slow pan over the fixture photo), each cover-fitted to one size and frame rate
 * and joined end to end, so every cut is a jump to other footage. Two clips of nine
 * shots (eight cuts): DEV_SHOTS, looked at while building keyframes, and HELD_SHOTS,
 * other moments, crops and mirrorings of the same samples, measured only for the
 * reported figure.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const media = fileURLToPath(new URL('../fixtures/media/', import.meta.url));

export interface ShotSpec {
  /** A fixture file; a still (.jpg) is looped. */
  from: string;
  /** Seconds into the source, and frames taken. */
  start: number;
  frames: number;
  /** A filter run on the source before the cover-fit (a crop, a mirror, a pan); default none. */
  filter?: string;
}

/** Frames of each shot in the measured clips (2.4 s at 30 fps). */
const SHOT = 72;

export const DEV_SHOTS: readonly ShotSpec[] = [
  { from: 'flower.mp4', start: 0, frames: SHOT },
  { from: 'rabbit.mp4', start: 0, frames: SHOT },
  { from: 'bbb_10s.webm', start: 0, frames: SHOT },
  { from: 'london.jpg', start: 0, frames: SHOT, filter: "scale=1600:-2,crop=1000:562:'t*120':100" },
  { from: 'bbb_60fps.mp4', start: 0.4, frames: 48 },
  { from: 'rabbit.mp4', start: 2.5, frames: SHOT, filter: 'hflip' },
  { from: 'portrait.mp4', start: 0, frames: 30 },
  { from: 'flower.mp4', start: 2.5, frames: SHOT, filter: 'crop=iw*0.7:ih*0.7:iw*0.15:ih*0.1' },
  { from: 'bbb_10s.webm', start: 2.5, frames: SHOT },
];

export const HELD_SHOTS: readonly ShotSpec[] = [
  { from: 'rabbit.mp4', start: 5.3, frames: SHOT },
  { from: 'bbb_10s.webm', start: 7.4, frames: SHOT },
  { from: 'flower.mp4', start: 1.2, frames: SHOT, filter: 'hflip,crop=iw*0.8:ih*0.8:0:ih*0.2' },
  { from: 'london.jpg', start: 0, frames: SHOT, filter: "scale=1400:-2,crop=800:450:600-'t*80':300" },
  { from: 'bbb_10s.webm', start: 5, frames: SHOT, filter: 'hflip' },
  { from: 'portrait.mp4', start: 0, frames: 28, filter: 'crop=iw:iw*0.5625:0:ih*0.4' },
  { from: 'rabbit.mp4', start: 3.2, frames: SHOT, filter: 'crop=iw*0.6:ih*0.6:iw*0.4:ih*0.3' },
  { from: 'bbb_60fps.mp4', start: 0.45, frames: 45, filter: 'hflip,crop=iw*0.75:ih*0.75:0:0' },
  { from: 'flower.mp4', start: 3, frames: 60, filter: 'crop=iw*0.6:ih*0.6:0:0' },
];

export interface CutClip {
  path: string;
  width: number;
  height: number;
  fps: string;
  /** Each shot's first frame and the frame after its last. */
  shots: { start: number; end: number }[];
}

/** Join `shots` into `dir/name` at `width`×`height`, 30 fps, nearly lossless H.264. */
export async function makeCutClip(shots: readonly ShotSpec[], dir: string, name: string, width = 640, height = 360): Promise<CutClip> {
  const inputs: string[] = [];
  const chains: string[] = [];
  shots.forEach((shot, i) => {
    const still = shot.from.endsWith('.jpg');
    inputs.push(...(still ? ['-loop', '1', '-framerate', '30'] : ['-ss', String(shot.start)]), '-t', String(shot.frames / 30 + 1), '-i', join(media, shot.from));
    const fit = `scale=${width}:${height}:force_original_aspect_ratio=increase:flags=bicubic,crop=${width}:${height}`;
    chains.push(`[${i}:v]fps=30,${shot.filter ? `${shot.filter},` : ''}${fit},setsar=1,format=yuv420p,trim=end_frame=${shot.frames},setpts=PTS-STARTPTS[s${i}]`);
  });
  const graph = `${chains.join(';')};${shots.map((_, i) => `[s${i}]`).join('')}concat=n=${shots.length}:v=1:a=0[v]`;
  const path = join(dir, name);
  await run('ffmpeg', ['-v', 'error', ...inputs, '-filter_complex', graph, '-map', '[v]', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '10', '-r', '30', '-y', path]);
  let start = 0;
  const ranges = shots.map((shot) => {
    const range = { start, end: start + shot.frames };
    start += shot.frames;
    return range;
  });
  return { path, width, height, fps: '30/1', shots: ranges };
}
