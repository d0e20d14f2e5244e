/**
 * Stills of the inked looks (`npm run inked-stills [dir]`): one frame of four sample
 * clips (a flower, a face, a handheld shot of a toy, an animation) through ink comic,
 * cartoon and neon at three edit strengths, rendered as a render renders them (the
 * marks stage included), written as one PNG sheet per clip: the source alone
 * on the first row, then a row per look at adhere_1, flex_2 (the default) and reimagine_3.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { lookFrames } from '../src/engines/local/marks/look-frames.ts';
import { lookIntensity } from '../src/engines/local/strength.ts';
import type { EditStrength } from '../src/models/request.ts';

const run = promisify(execFile);
const CLIPS = [
  { name: 'flower', path: 'test/fixtures/media/flower.mp4', at: 3, width: 960, height: 540 },
  { name: 'face', path: 'test/fixtures/media/portrait.mp4', at: 0.5, width: 360, height: 540 },
  { name: 'rabbit', path: 'test/fixtures/media/rabbit.mp4', at: 2, width: 810, height: 540 },
  { name: 'animation', path: 'test/fixtures/media/bbb_60fps.mp4', at: 1.2, width: 960, height: 540 },
];
const LOOKS = ['ink_comic', 'cartoon', 'neon'] as const;
const LEVELS: EditStrength[] = ['adhere_1', 'flex_2', 'reimagine_3'];

const dir = process.argv[2] ?? join(tmpdir(), 'retake-inked-stills');
await mkdir(dir, { recursive: true });
for (const clip of CLIPS) {
  const { width, height } = clip;
  const tiles: Uint8Array[] = [];
  // The source frame as the looks see it (the same scaling and start).
  const [source] = await lookFrames({ sourcePath: clip.path, look: { style: 'neutral', palette: 'none', modifiers: [] }, k: 0, width, height, start: clip.at });
  // The source alone on the first row.
  tiles.push(source!.data, new Uint8Array(source!.data.length), new Uint8Array(source!.data.length));
  for (const style of LOOKS) {
    for (const level of LEVELS) {
      const [frame] = await lookFrames({ sourcePath: clip.path, look: { style, palette: 'none', modifiers: [] }, k: lookIntensity(level, []), width, height, start: clip.at });
      tiles.push(frame!.data);
    }
  }
  const raw = join(dir, `${clip.name}.rgb`);
  await writeFile(raw, Buffer.concat(tiles));
  await run('ffmpeg', [
    '-v', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-i', raw,
    '-vf', `tile=${LEVELS.length}x${LOOKS.length + 1}`, '-frames:v', '1', '-y', join(dir, `${clip.name}.png`),
  ]);
  console.log(`${clip.name}: ${join(dir, `${clip.name}.png`)}`);
}
