/**
 * The look gallery (`npm run gallery`): every style family of retake-local applied to
 * one frame of two sample clips (a flower, and a face), each written as a labelled
 * contact sheet (source first) and an HTML page with each style's prompt, what the
 * engine understood of it and the frame: docs/gallery/ for the flower,
 * docs/gallery/portrait/ for the face. Prompts are written as users write them, and go
 * through the engine's own prompt reader (sentence model included) and filtergraphs at
 * 540p and the default edit_strength, in one FFmpeg run per clip; then guided mode's
 * sheet (gallery-guided.ts, docs/gallery/guided/). Labels need a
 * TrueType font (DejaVu Sans, Debian's fonts-dejavu-core); without one the sheets are
 * written unlabelled.
 */
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { lookGraph, lookMarks } from '../src/engines/local/look-filters.ts';
import { lookFramesInput } from '../src/engines/local/marks/look-frames.ts';
import { outputSize } from '../src/engines/local/render-plan.ts';
import { interpretPrompt, type Interpretation } from '../src/engines/local/prompt-to-look.ts';
import { DEFAULT_EDIT_STRENGTH, lookIntensity } from '../src/engines/local/strength.ts';
import { LOOK_STYLES, type LookStyle } from '../src/engines/local/vocabulary.ts';
import { renderGuidedSheet } from './gallery-guided.ts';
import { galleryPage, type GalleryEntry } from './lib/gallery-page.ts';
import { labelFont } from './lib/label-font.ts';
import { LOOK_PROMPTS } from './lib/look-prompts.ts';

const run = promisify(execFile);
interface Clip {
  path: string;
  /** Seconds into the clip. */
  at: number;
  dir: string;
  /** Stored size (rotation is not tagged on these clips). */
  width: number;
  height: number;
}

const CLIPS: Clip[] = [
  { path: 'test/fixtures/media/flower.mp4', at: 3, dir: 'docs/gallery', width: 960, height: 540 },
  { path: 'test/fixtures/media/portrait.mp4', at: 0.5, dir: 'docs/gallery/portrait', width: 720, height: 1080 },
];
/** Tiles of about 320×180 whatever the clip's shape. */
const TILE_AREA = 320 * 180;
const COLUMNS = 4;

function label(text: string, font: string | undefined): string {
  if (!font) return 'null';
  return `drawtext=fontfile=${font}:text='${text}':x=8:y=h-th-8:fontsize=15:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=5`;
}

async function renderClip(clip: Clip, looks: Map<LookStyle, Interpretation>, font: string | undefined): Promise<void> {
  await mkdir(clip.dir, { recursive: true });
  const { width, height } = outputSize(clip.width, clip.height, 540);
  const aspect = width / height;
  const even = (v: number): number => Math.round(v / 2) * 2;
  const [tileW, tileH] = [even(Math.sqrt(TILE_AREA * aspect)), even(Math.sqrt(TILE_AREA / aspect))];
  const pageW = 480;
  const pageH = even((pageW * height) / width);
  const entries: GalleryEntry[] = [{ name: 'source', prompt: '', image: 'source.jpg' }];
  const graph = [`[0:v]scale=${width}:${height}:flags=bicubic,setsar=1,format=yuv420p,split=${LOOK_STYLES.length + 1}[in0]${LOOK_STYLES.map((_, i) => `[in${i + 1}]`).join('')}`];
  graph.push('[in0]null[look0]');
  // Looks with a marks step are rendered apart (look-frames.ts) and read back as inputs.
  const marked: string[] = [];
  for (const [i, style] of LOOK_STYLES.entries()) {
    const look = looks.get(style) as Interpretation;
    const intensity = lookIntensity(undefined, look.modifiers);
    if (lookMarks(look, intensity, { width, height })) {
      const file = `${clip.dir}/${style}.rgb`;
      marked.push(...await lookFramesInput({ sourcePath: clip.path, look, k: intensity, width, height, start: clip.at }, file));
      graph.push(`[in${i + 1}]nullsink`, `[${marked.filter((a) => a === '-i').length}:v]format=yuv420p[look${i + 1}]`);
    } else {
      graph.push(lookGraph(look, intensity, { width, height }, { input: `in${i + 1}`, output: `look${i + 1}`, prefix: `g${i}_` }));
    }
    const { style: s, palette, modifiers, used_words, ignored_words, confidence, runner_up, decided_by } = look;
    entries.push({
      name: style, prompt: LOOK_PROMPTS[style], image: `${style}.jpg`,
      interpretation: { style: s, palette, modifiers, used_words, ignored_words, confidence, runner_up, decided_by, edit_strength: DEFAULT_EDIT_STRENGTH, intensity },
    });
  }
  const outputs: string[] = [];
  entries.forEach((entry, i) => {
    graph.push(`[look${i}]format=yuv420p,split[big${i}][small${i}]`);
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

  await run('ffmpeg', ['-hide_banner', '-v', 'error', '-ss', String(clip.at), '-i', clip.path, ...marked, '-filter_complex', graph.join(';'), ...outputs], { maxBuffer: 16 * 1024 * 1024 });
  for (const [i, arg] of marked.entries()) if (marked[i - 1] === '-i') await rm(arg, { force: true });
  await writeFile(`${clip.dir}/index.html`, galleryPage(entries, `${clip.path.split('/').pop() ?? clip.path} at ${clip.at} s`));
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
  for (const clip of CLIPS) await renderClip(clip, looks, font);
  await renderGuidedSheet((text) => label(text, font));
}

await main();
