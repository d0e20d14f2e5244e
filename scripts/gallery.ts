/**
 * The look gallery (`npm run gallery`): every style family of retake-local applied to
 * one frame of a sample clip, written as a labelled contact sheet
 * (docs/gallery/contact-sheet.png, source first) and an HTML page
 * (docs/gallery/index.html) with each style's prompt, interpretation and frame. The
 * frames go through the engine's own look compiler and filtergraphs at 540p and the
 * default edit_strength, in one FFmpeg run. Labels need a TrueType font (DejaVu Sans,
 * Debian's fonts-dejavu-core); without one the sheet is written unlabelled.
 * Knobs: GALLERY_CLIP (test/fixtures/media/flower.mp4), GALLERY_AT seconds (3).
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { lookGraph } from '../src/engines/local/look-filters.ts';
import { promptToLook } from '../src/engines/local/prompt-to-look.ts';
import { DEFAULT_EDIT_STRENGTH, lookIntensity } from '../src/engines/local/strength.ts';
import { LOOK_STYLES, type LookStyle } from '../src/engines/local/vocabulary.ts';
import { galleryPage, type GalleryEntry } from './lib/gallery-page.ts';

const run = promisify(execFile);
const OUT_DIR = 'docs/gallery';
const CLIP = process.env.GALLERY_CLIP ?? 'test/fixtures/media/flower.mp4';
const AT = Number(process.env.GALLERY_AT ?? 3);
const [WIDTH, HEIGHT] = [960, 540];
const [TILE_W, TILE_H] = [320, 180];
const COLUMNS = 4;

/** A prompt a user might write for each family (the neutral look: no known word). */
const PROMPTS: Record<LookStyle, string> = {
  neutral: 'a quiet afternoon', watercolor: 'watercolor', oil_painting: 'oil painting', pencil_sketch: 'pencil sketch',
  charcoal: 'charcoal drawing', ink_comic: 'comic book ink', cartoon: 'anime', pixel_art: 'pixel art', pop_art: 'pop art',
  noir: 'film noir', sepia: 'vintage film', neon: 'cyberpunk neon', pastel: 'pastel', dreamy: 'dreamy soft focus', vhs: 'vhs glitch',
};

async function labelFont(): Promise<string | undefined> {
  try {
    const { stdout } = await run('fc-match', ['-f', '%{file}', 'DejaVu Sans:bold']);
    return stdout.trim().endsWith('.ttf') ? stdout.trim() : undefined;
  } catch {
    return undefined;
  }
}

function label(text: string, font: string | undefined): string {
  if (!font) return 'null';
  return `drawtext=fontfile=${font}:text='${text}':x=8:y=h-th-8:fontsize=15:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=5`;
}

async function main(): Promise<void> {
  await mkdir(OUT_DIR, { recursive: true });
  const font = await labelFont();
  if (!font) process.stderr.write('gallery: no DejaVu Sans font found (fonts-dejavu-core); the sheet has no labels\n');
  const entries: GalleryEntry[] = [{ name: 'source', prompt: '', image: 'source.jpg' }];
  const graph = [`[0:v]scale=${WIDTH}:${HEIGHT}:flags=bicubic,setsar=1,format=yuv420p,split=${LOOK_STYLES.length + 1}[in0]${LOOK_STYLES.map((_, i) => `[in${i + 1}]`).join('')}`];
  graph.push('[in0]null[look0]');
  for (const [i, style] of LOOK_STYLES.entries()) {
    const look = promptToLook(PROMPTS[style]);
    if (look.style !== style) throw new Error(`"${PROMPTS[style]}" compiles to ${look.style}, not ${style}`);
    const intensity = lookIntensity(undefined, look.modifiers);
    graph.push(lookGraph(look, intensity, { width: WIDTH, height: HEIGHT }, { input: `in${i + 1}`, output: `look${i + 1}`, prefix: `g${i}_` }));
    const { style: s, palette, modifiers, used_words, ignored_words } = look;
    entries.push({
      name: style, prompt: PROMPTS[style], image: `${style}.jpg`,
      interpretation: { style: s, palette, modifiers, used_words, ignored_words, edit_strength: DEFAULT_EDIT_STRENGTH, intensity },
    });
  }
  const outputs: string[] = [];
  entries.forEach((entry, i) => {
    graph.push(`[look${i}]format=yuv420p,split[big${i}][small${i}]`);
    graph.push(`[big${i}]scale=480:270:flags=area[page${i}]`);
    graph.push(`[small${i}]scale=${TILE_W}:${TILE_H}:flags=area,${label(entry.name.replace('_', ' '), font)}[tile${i}]`);
    outputs.push('-map', `[page${i}]`, '-frames:v', '1', '-q:v', '4', '-y', `${OUT_DIR}/${entry.image}`);
  });
  // Fill the last row with black tiles so every row has COLUMNS tiles.
  const rows = Math.ceil(entries.length / COLUMNS);
  const tiles = entries.map((_, i) => `[tile${i}]`);
  for (let i = entries.length; i < rows * COLUMNS; i++) {
    graph.push(`color=black:s=${TILE_W}x${TILE_H}:d=1,format=yuv420p[tile${i}]`);
    tiles.push(`[tile${i}]`);
  }
  for (let r = 0; r < rows; r++) graph.push(`${tiles.slice(r * COLUMNS, (r + 1) * COLUMNS).join('')}hstack=inputs=${COLUMNS}[row${r}]`);
  // A 256-colour palette keeps the sheet small enough to commit and show in the README.
  graph.push(`${Array.from({ length: rows }, (_, r) => `[row${r}]`).join('')}vstack=inputs=${rows},split[sheet][forpal]`);
  graph.push('[forpal]palettegen=max_colors=256:stats_mode=full[pal]');
  graph.push('[sheet][pal]paletteuse=dither=bayer:bayer_scale=3[png]');
  outputs.push('-map', '[png]', '-frames:v', '1', '-y', `${OUT_DIR}/contact-sheet.png`);

  await run('ffmpeg', ['-hide_banner', '-v', 'error', '-ss', String(AT), '-i', CLIP, '-filter_complex', graph.join(';'), ...outputs], { maxBuffer: 16 * 1024 * 1024 });
  await writeFile(`${OUT_DIR}/index.html`, galleryPage(entries, `${CLIP.split('/').pop() ?? CLIP} at ${AT} s`));
  process.stdout.write(`gallery: ${entries.length - 1} looks in ${OUT_DIR}/contact-sheet.png and ${OUT_DIR}/index.html\n`);
}

await main();
