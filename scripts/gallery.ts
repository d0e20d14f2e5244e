/**
 * The look gallery (`npm run gallery`): every style family of retake-local applied to
 * one frame of two sample clips (a flower, and a face turned upright: the clip is
 * stored sideways), each written as a labelled contact sheet (source first) and an
 * HTML page with each style's prompt, what the engine understood of it and the frame:
 * docs/gallery/ for the flower, docs/gallery/portrait/ for the face. Prompts are
 * written as users write them, and each is rendered by a real `retake serve` through
 * the hub's sync call at 540p and the default edit_strength, every stage of the engine
 * included (the shot's tone, the marks), so a tile is what a user gets; then guided mode's
 * sheet (gallery-guided.ts, docs/gallery/guided/). Labels need a
 * TrueType font (DejaVu Sans, Debian's fonts-dejavu-core); without one the sheets are
 * written unlabelled.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { interpretPrompt, type Interpretation } from '../src/engines/local/prompt-to-look.ts';
import { DEFAULT_EDIT_STRENGTH, lookIntensity } from '../src/engines/local/strength.ts';
import { LOOK_STYLES, type LookStyle } from '../src/engines/local/vocabulary.ts';
import { renderGuidedSheet } from './gallery-guided.ts';
import { galleryPage, type GalleryEntry } from './lib/gallery-page.ts';
import { labelFont } from './lib/label-font.ts';
import { LOOK_PROMPTS } from './lib/look-prompts.ts';
import { frameAt, startRenderServer, type RenderServer } from './lib/render-server.ts';

const run = promisify(execFile);
interface Clip {
  path: string;
  /** The stretch of the clip rendered (seconds from, how long) and the frame shown (seconds into it). */
  from: number;
  seconds: number;
  at: number;
  /** Filters that set the clip upright before it is rendered (the face clip is stored sideways). */
  upright?: string;
  dir: string;
}

const CLIPS: Clip[] = [
  { path: 'test/fixtures/media/flower.mp4', from: 2, seconds: 2, at: 1, dir: 'docs/gallery' },
  { path: 'test/fixtures/media/portrait.mp4', from: 0, seconds: 1, at: 0.5, upright: 'transpose=clock', dir: 'docs/gallery/portrait' },
];
/** Tiles of about 320×180 whatever the clip's shape. */
const TILE_AREA = 320 * 180;
const COLUMNS = 4;

function label(text: string, font: string | undefined): string {
  if (!font) return 'null';
  return `drawtext=fontfile=${font}:text='${text}':x=8:y=h-th-8:fontsize=15:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=5`;
}

/** The stretch of the clip the gallery shows, upright, as its own file in `dir`. */
async function galleryInput(clip: Clip, dir: string): Promise<string> {
  const out = join(dir, `${basename(clip.path, '.mp4')}-gallery.mp4`);
  await run('ffmpeg', ['-v', 'error', '-y', '-ss', String(clip.from), '-t', String(clip.seconds), '-i', clip.path, '-an', ...(clip.upright ? ['-vf', clip.upright] : []), '-c:v', 'libx264', '-crf', '14', '-pix_fmt', 'yuv420p', out]);
  return out;
}

async function renderClip(clip: Clip, server: RenderServer, work: string, looks: Map<LookStyle, Interpretation>, font: string | undefined): Promise<void> {
  await mkdir(clip.dir, { recursive: true });
  const input = await galleryInput(clip, work);
  const url = await server.upload(input);
  const frames = [join(work, 'source.png')];
  await frameAt(input, clip.at, frames[0]!);
  const entries: GalleryEntry[] = [{ name: 'source', prompt: '', image: 'source.jpg' }];
  for (const style of LOOK_STYLES) {
    const look = looks.get(style) as Interpretation;
    const frame = join(work, `${style}.png`);
    await frameAt(await server.render(url, LOOK_PROMPTS[style]), clip.at, frame);
    frames.push(frame);
    const { style: s, palette, modifiers, used_words, ignored_words, confidence, runner_up, decided_by } = look;
    entries.push({
      name: style, prompt: LOOK_PROMPTS[style], image: `${style}.jpg`,
      interpretation: { style: s, palette, modifiers, used_words, ignored_words, confidence, runner_up, decided_by, edit_strength: DEFAULT_EDIT_STRENGTH, intensity: lookIntensity(undefined, look.modifiers) },
    });
    process.stdout.write(`gallery: ${basename(clip.path)} ${style}\n`);
  }
  const [width, height] = (await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', frames[1]!])).stdout.trim().split(',').map(Number) as [number, number];
  const aspect = width / height;
  const even = (v: number): number => Math.round(v / 2) * 2;
  const [tileW, tileH] = [even(Math.sqrt(TILE_AREA * aspect)), even(Math.sqrt(TILE_AREA / aspect))];
  const pageW = 480;
  const pageH = even((pageW * height) / width);
  const graph: string[] = [];
  const outputs: string[] = [];
  entries.forEach((entry, i) => {
    graph.push(`[${i}:v]scale=${width}:${height}:flags=bicubic,format=yuv420p,split[big${i}][small${i}]`);
    graph.push(`[big${i}]scale=${pageW}:${pageH}:flags=area[page${i}]`);
    graph.push(`[small${i}]scale=${tileW}:${tileH}:flags=area,${label(entry.name.replace('_', ' '), font)}[tile${i}]`);
    outputs.push('-map', `[page${i}]`, '-frames:v', '1', '-q:v', '4', '-y', `${clip.dir}/${entry.image}`);
  });
  // Fill the last row with black tiles so every row has the same number of tiles.
  const rows = Math.ceil(entries.length / COLUMNS);
  const tiles = entries.map((_, i) => `[tile${i}]`);
  for (let i = entries.length; i < rows * COLUMNS; i++) {
    graph.push(`color=black:s=${tileW}x${tileH}:d=1,format=yuv420p[tile${i}]`);
    tiles.push(`[tile${i}]`);
  }
  for (let r = 0; r < rows; r++) graph.push(`${tiles.slice(r * COLUMNS, (r + 1) * COLUMNS).join('')}hstack=inputs=${COLUMNS}[row${r}]`);
  // A 256-colour palette keeps the sheet small enough to commit and show in the docs.
  graph.push(`${Array.from({ length: rows }, (_, r) => `[row${r}]`).join('')}vstack=inputs=${rows},split[sheet][forpal]`);
  graph.push('[forpal]palettegen=max_colors=256:stats_mode=full[pal]');
  graph.push('[sheet][pal]paletteuse=dither=bayer:bayer_scale=3[png]');
  outputs.push('-map', '[png]', '-frames:v', '1', '-y', `${clip.dir}/contact-sheet.png`);

  await run('ffmpeg', ['-hide_banner', '-v', 'error', ...frames.flatMap((f) => ['-i', f]), '-filter_complex', graph.join(';'), ...outputs], { maxBuffer: 16 * 1024 * 1024 });
  await writeFile(`${clip.dir}/index.html`, galleryPage(entries, `${basename(clip.path)} at ${clip.from + clip.at} s${clip.upright ? ', turned upright' : ''}`));
  process.stdout.write(`gallery: ${entries.length - 1} looks in ${clip.dir}/contact-sheet.png and ${clip.dir}/index.html\n`);
}

async function main(): Promise<void> {
  const font = await labelFont();
  if (!font) process.stderr.write('gallery: no DejaVu Sans font found (fonts-dejavu-core); the sheets have no labels\n');
  const looks = new Map<LookStyle, Interpretation>();
  for (const style of LOOK_STYLES) {
    const look = await interpretPrompt(LOOK_PROMPTS[style]);
    if (look.style !== style) throw new Error(`"${LOOK_PROMPTS[style]}" is read as ${look.style}, not ${style}`);
    looks.set(style, look);
  }
  const work = await mkdtemp(join(tmpdir(), 'retake-gallery-'));
  const server = await startRenderServer(join(work, 'server'));
  try {
    for (const clip of CLIPS) await renderClip(clip, server, work, looks, font);
  } finally {
    await server.stop();
    await rm(work, { recursive: true, force: true });
  }
  await renderGuidedSheet((text) => label(text, font));
}

await main();
