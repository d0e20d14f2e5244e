/**
 * Stills of the painted looks for viewing (`npm run paint-stills -- <video> [seconds]
 * [out-dir]`): oil painting, watercolor and pastel rendered the way a render renders
 * them (marks stage included) on one frame of the video at 540p, also on the frame made
 * black-and-white, written as PNGs side by side with the source (default out-dir
 * paint-stills/).
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { promisify } from 'node:util';
import { lookFrames } from '../src/engines/local/marks/look-frames.ts';
import type { LookStyle } from '../src/engines/local/vocabulary.ts';

const run = promisify(execFile);
const [source, at = '1', outDir = 'paint-stills'] = process.argv.slice(2);
if (!source) throw new Error('usage: paint-stills <video> [seconds] [out-dir]');
const [width, height] = [960, 540];
const styles: LookStyle[] = ['oil_painting', 'watercolor', 'pastel'];
await mkdir(outDir, { recursive: true });
const name = basename(source, extname(source));

async function png(rgb: Uint8Array, file: string): Promise<void> {
  const raw = `${file}.rgb`;
  await writeFile(raw, rgb);
  await run('ffmpeg', ['-v', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-i', raw, '-y', file]);
  await run('rm', [raw]);
}

for (const grey of [false, true]) {
  const input = grey ? join(outDir, `${name}-grey.mp4`) : source;
  if (grey) await run('ffmpeg', ['-v', 'error', '-ss', at, '-i', source, '-t', '0.5', '-vf', 'format=gray,format=yuv420p', '-an', '-y', input]);
  const start = grey ? 0 : Number(at);
  const tag = grey ? `${name}-grey` : name;
  const [plain] = await lookFrames({ sourcePath: input, look: { style: 'neutral', palette: 'none', modifiers: [] }, width, height, start });
  await png(plain!.data, join(outDir, `${tag}-source.png`));
  for (const style of styles) {
    const [frame] = await lookFrames({ sourcePath: input, look: { style, palette: 'none', modifiers: [] }, width, height, start });
    await png(frame!.data, join(outDir, `${tag}-${style}.png`));
    console.log(join(outDir, `${tag}-${style}.png`));
  }
}
