/**
 * The tiles of a committed blind panel (docs/panel/N: `<clip>.jpg` sheets,
 * `<clip>.key.json`, `answers/*.txt`): each tile cropped from its sheet, the panel's
 * source frame made again from the still (panel-clips.ts), the face box and what the
 * viewers called.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RgbFrame } from '../../src/engines/local/guided/metrics.ts';
import type { Box } from '../../src/engines/local/metrics/tone-detail.ts';
import { type Answer, parseAnswers } from './panel-answers.ts';
import { clipFromStill, panelFrame, type Variant } from './panel-clips.ts';

const run = promisify(execFile);
const TILE = { width: 360, height: 270 };
const COLUMNS = 4;
/** Where the panels' stills came from: the scikit-image samples Debian ships. */
export const STILLS = '/usr/lib/python3/dist-packages/skimage/data';

/** The face in the panel's frame of each still (shares of the frame), set by eye once. */
const FACES: Record<string, Box> = {
  astronaut: { x: 0.3, y: 0.1, width: 0.21, height: 0.27 },
  camera: { x: 0.28, y: 0.11, width: 0.19, height: 0.24 },
  chelsea: { x: 0.17, y: 0.22, width: 0.66, height: 0.71 },
};

/** One tile of a panel: its frame, the source frame, the face box and the viewers' calls. */
export interface PanelTile {
  clip: string;
  tile: number;
  look: string;
  source: RgbFrame;
  styled: RgbFrame;
  face: Box | undefined;
  calls: Answer[];
}


async function rgb(input: string[], vf: string): Promise<RgbFrame> {
  const { stdout } = await run('ffmpeg', ['-v', 'error', ...input, '-vf', `${vf},format=rgb24`, '-frames:v', '1', '-f', 'rawvideo', '-'], { encoding: 'buffer', maxBuffer: 1 << 24 });
  return { width: TILE.width, height: TILE.height, data: new Uint8Array(stdout) };
}

/** The source frame of a panel clip (`astronaut-dark` → the astronaut still, dark). */
async function sourceFrame(clip: string, stills: string, dir: string): Promise<RgbFrame> {
  const [still, variant = 'normal'] = clip.split('-') as [string, Variant?];
  const made = await clipFromStill(join(stills, `${still}.png`), dir, variant);
  const png = join(dir, `${clip}.png`);
  await panelFrame(made.path, png);
  return rgb(['-i', png], `scale=${TILE.width}:${TILE.height}`);
}

/** Every tile of a committed panel, with its source frame made again from `stills`. */
export async function panelTiles(panel: string, stills: string, dir: string): Promise<PanelTile[]> {
  const answerFiles = (await readdir(join(panel, 'answers'))).filter((f) => f.endsWith('.txt'));
  const answers = (await Promise.all(answerFiles.map(async (f) => parseAnswers(await readFile(join(panel, 'answers', f), 'utf8'))))).flat();
  const clips = (await readdir(panel)).filter((f) => f.endsWith('.key.json')).map((f) => f.replace('.key.json', ''));
  const out: PanelTile[] = [];
  for (const clip of clips) {
    const key = JSON.parse(await readFile(join(panel, `${clip}.key.json`), 'utf8')) as Record<string, string>;
    const source = await sourceFrame(clip, stills, dir);
    const sheet = join(panel, `${clip}.jpg`);
    const { stdout } = await run('ffprobe', ['-v', 'error', '-select_streams', 'v', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', sheet]);
    const [width, height] = stdout.trim().split(',').map(Number) as [number, number];
    const tiles = Object.keys(key).length;
    const pitchX = width / COLUMNS, pitchY = height / Math.ceil(tiles / COLUMNS);
    const face = FACES[clip.split('-')[0]!];
    for (const [n, look] of Object.entries(key)) {
      const i = Number(n) - 1;
      const x = Math.round((i % COLUMNS) * pitchX + 6), y = Math.round(Math.floor(i / COLUMNS) * pitchY + 6);
      const styled = await rgb(['-i', sheet], `crop=${TILE.width}:${TILE.height}:${x}:${y}`);
      out.push({ clip, tile: i + 1, look, source, styled, face, calls: answers.filter((a) => a.clip === clip && a.tile === i + 1) });
    }
  }
  return out;
}
