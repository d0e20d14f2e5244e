/**
 * Tiles for a blind panel of the looks (`npm run blind-panel -- <out-dir> <still[:variants]>...`):
 * every style family of retake-local rendered by a real `retake serve` through the hub's
 * sync call, one frame of each clip, shuffled and numbered on one sheet per clip, with
 * the source frame beside it and the key in a separate file the viewers never see.
 *
 * The clips are made from still photographs the looks were not tuned on (a slow zoom
 * and pan over each, 3 s at 30 fps), each as it is and in a dark variant (two stops
 * down, as a shot in low light), so that the panel can say whether faces and dark areas
 * survive; `still.png:bright,dark` names the variants of one still instead (`normal`,
 * `dark`, `bright`: overexposed, as a face in hard light).
 * The prompts are phrased differently from the gallery's (scripts/lib/look-prompts.ts),
 * so a look is read from a prompt the engine was not tuned on either.
 *
 * `--looks=oil_painting,watercolor` renders only those looks (a panel of one change, for
 * `panel-pairs` to set beside a whole panel of the same stills).
 *
 * Needs ImageMagick's `montage` and FFmpeg. Writes <out>/<clip>/sheet.png, source.png
 * and key.json (tile number → family), and <out>/viewer-instructions.md.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { LOOK_STYLES, type LookStyle } from '../src/engines/local/vocabulary.ts';
import { labelFont } from './lib/label-font.ts';
import { type Clip, clipFromStill, panelFrame, tilePath, type Variant, VARIANT_TONE } from './lib/panel-clips.ts';
import { PANEL_PROMPTS, panelInstructions } from './lib/panel-prompts.ts';
import { startRenderServer, type RenderServer } from './lib/render-server.ts';
import { shuffled } from './lib/shuffle.ts';

const run = promisify(execFile);

type PanelLook = Exclude<LookStyle, 'neutral'>;
const ALL_LOOKS = LOOK_STYLES.filter((s): s is PanelLook => s !== 'neutral');

async function panelForClip(server: RenderServer, clip: Clip, outDir: string, only: readonly PanelLook[]): Promise<void> {
  const dir = join(outDir, clip.name);
  await mkdir(dir, { recursive: true });
  const url = await server.upload(clip.path);
  await panelFrame(clip.path, join(dir, 'source.png'));
  const looks = shuffled([...only], clip.name);
  const tiles: string[] = [];
  for (const [i, look] of looks.entries()) {
    const tile = tilePath(dir, i + 1);
    // A rerun keeps the tiles already rendered (delete the folder to render afresh).
    if (!existsSync(tile)) await panelFrame(await server.render(url, PANEL_PROMPTS[look]), tile);
    tiles.push(tile);
    console.log(`${clip.name}: ${i + 1}/${looks.length}`);
  }
  const font = await labelFont();
  const fontArgs = font ? ['-font', font] : [];
  await run('montage', [...tiles.flatMap((t, i) => ['-label', String(i + 1), t]), ...fontArgs, '-tile', '4x', '-geometry', '+6+6', '-pointsize', '22', join(dir, 'sheet.png')]);
  await writeFile(join(dir, 'key.json'), JSON.stringify(Object.fromEntries(looks.map((l, i) => [i + 1, l])), null, 2));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const lookArg = args.find((a) => a.startsWith('--looks='));
  const [outArg, ...stills] = args.filter((a) => a !== lookArg);
  if (!outArg || stills.length === 0) throw new Error('usage: blind-panel [--looks=<look>,...] <out-dir> <still>...');
  const only = lookArg ? lookArg.slice('--looks='.length).split(',') : ALL_LOOKS;
  for (const look of only) if (!ALL_LOOKS.includes(look as PanelLook)) throw new Error(`${look}: not a look of the panel (${ALL_LOOKS.join(', ')})`);
  const outDir = resolve(outArg);
  await mkdir(join(outDir, 'clips'), { recursive: true });
  const clips: Clip[] = [];
  for (const arg of stills) {
    const [still, list] = arg.split(':');
    const variants = (list ? list.split(',') : ['normal', 'dark']) as Variant[];
    for (const variant of variants) {
      if (!(variant in VARIANT_TONE)) throw new Error(`${arg}: variants are normal, dark and bright`);
      clips.push(await clipFromStill(resolve(still!), join(outDir, 'clips'), variant));
    }
  }
  const server = await startRenderServer(join(outDir, 'server'));
  try {
    for (const clip of clips) await panelForClip(server, clip, outDir, only as PanelLook[]);
  } finally {
    await server.stop();
  }
  await writeFile(join(outDir, 'viewer-instructions.md'), panelInstructions(clips.map((c) => c.name)));
}

await main();
