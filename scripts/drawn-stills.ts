/**
 * Stills of the drawn and printed looks for viewing (`npm run drawn-stills -- [out-dir]
 * [picture[@seconds][:dark|:grey] ...]`): pencil sketch, charcoal and pop art rendered
 * as a render renders them (the shot's tone curve into the look's window, a colourless
 * source's own inks, the marks stage) on one frame of each picture at 540p, written as
 * one PNG sheet per picture: the source, then the three looks. `:dark` takes the picture
 * two stops down, `:grey` without its colour. Default: the committed clips.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { promisify } from 'node:util';
import { toneSteps } from '../src/engines/local/look-filters.ts';
import { lookFrames } from '../src/engines/local/marks/look-frames.ts';
import { analyseTone } from '../src/engines/local/shot-tone.ts';
import { lookIntensity } from '../src/engines/local/strength.ts';
import type { LookStyle } from '../src/engines/local/vocabulary.ts';

const run = promisify(execFile);
const VARIANTS: Record<string, string> = { '': '', dark: 'eq=gamma=0.55:brightness=-0.06', grey: 'hue=s=0' };
const STYLES: LookStyle[] = ['pencil_sketch', 'charcoal', 'pop_art'];
const DEFAULT = ['test/fixtures/media/flower.mp4@3', 'test/fixtures/media/portrait.mp4@0.5', 'test/fixtures/media/rabbit.mp4@2', 'test/fixtures/media/rabbit.mp4@2:dark', 'test/fixtures/media/london.jpg:grey'];
const [outDir = 'drawn-stills', ...named] = process.argv.slice(2);
await mkdir(outDir, { recursive: true });

/** Width of a picture scaled to 540 rows, even. */
async function widthAt540(path: string): Promise<number> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', path]);
  const [w, h] = stdout.trim().split(',').map(Number);
  return Math.round(((w ?? 960) * 540) / (h ?? 540) / 2) * 2;
}

for (const spec of named.length > 0 ? named : DEFAULT) {
  const [pathAt = '', variant = ''] = spec.split(':');
  const [path = '', at] = pathAt.split('@');
  const start = at ? Number(at) : undefined;
  const [width, height] = [await widthAt540(path), 540];
  const prepare = VARIANTS[variant] || undefined;
  const neutral = { style: 'neutral' as const, palette: 'none' as const, modifiers: [] };
  const [source] = await lookFrames({ sourcePath: path, look: neutral, k: 0, width, height, start, prepare });
  const tone = analyseTone([source!.data], 3, 1);
  const tiles = [source!.data];
  for (const style of STYLES) {
    const look = { style, palette: 'none' as const, modifiers: [] };
    const k = lookIntensity(undefined, []);
    const before = toneSteps(look, tone, k, height).before;
    const [frame] = await lookFrames({ sourcePath: path, look, k, width, height, start, prepare: [prepare, ...before].filter(Boolean).join(',') || undefined });
    tiles.push(frame!.data);
  }
  const name = `${basename(path, extname(path))}${variant ? `-${variant}` : ''}`;
  const raw = join(outDir, `${name}.rgb`);
  await writeFile(raw, Buffer.concat(tiles));
  const file = join(outDir, `${name}.png`);
  await run('ffmpeg', ['-v', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-i', raw, '-vf', `tile=2x2`, '-frames:v', '1', '-y', file]);
  await run('rm', [raw]);
  console.log(file);
}
