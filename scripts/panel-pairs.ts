/**
 * Paired comparisons of one change to a look (`npm run panel-pairs -- <out-dir>
 * <old-panel> <new-panel> <look>[,<look>]...`): from two blind panels made by
 * scripts/blind-panel.ts (the same stills, before and after the change), each clip's tile
 * of each look in the old and the new rendering side by side as A and B, with the source
 * frame, the question, and the key in a separate file the viewers never see.
 *
 * A blind panel's 0/1/2 rating moves by as much between two viewers as a change moves it
 * (two viewers of one set of sheets once rated 62 and 27 tiles of 84 "clearly"); asking
 * one viewer which of two versions reads more convincingly takes that spread out. The
 * old version is on the left in half the pairs (exactly, rounded down), in a fixed shuffle,
 * so a viewer's leaning to one side cannot pass for a preference.
 *
 * Writes <out>/pair-NN.png, pair-NN-source.png, instructions.md and key.json (per pair:
 * the clip, the look and which side is `old`). Score with `npm run panel-pairs-score`.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { labelFont } from './lib/label-font.ts';
import { tilePath } from './lib/panel-clips.ts';
import { pairInstructions, type PairKey, panelName } from './lib/panel-pairs.ts';
import { shuffled } from './lib/shuffle.ts';

const run = promisify(execFile);

/** The tile of `look` in one clip of a panel. */
async function tileOf(panel: string, clip: string, look: string): Promise<string> {
  const key = JSON.parse(await readFile(join(panel, clip, 'key.json'), 'utf8')) as Record<string, string>;
  const tile = Object.keys(key).find((t) => key[t] === look);
  if (!tile) throw new Error(`${panel}/${clip}: no tile of ${look}`);
  return tilePath(join(panel, clip), tile);
}

async function main(): Promise<void> {
  const [outArg, oldArg, newArg, lookList] = process.argv.slice(2);
  if (!outArg || !oldArg || !newArg || !lookList) throw new Error('usage: panel-pairs <out-dir> <old-panel> <new-panel> <look>[,<look>]');
  const [out, oldPanel, newPanel] = [resolve(outArg), resolve(oldArg), resolve(newArg)];
  const looks = lookList.split(',');
  for (const look of looks) if (!panelName(look)) throw new Error(`${look}: not a look of the panel`);
  const clips = (await readdir(oldPanel, { withFileTypes: true }))
    .filter((d) => d.isDirectory() && existsSync(join(oldPanel, d.name, 'key.json')) && existsSync(join(newPanel, d.name, 'key.json')))
    .map((d) => d.name);
  if (clips.length === 0) throw new Error('no clip is in both panels');
  const pairs = shuffled(clips.flatMap((clip) => looks.map((look) => ({ clip, look }))), `${clips.join()}|${lookList}`);
  const oldLeft = new Set(shuffled(pairs.map((_, i) => i), `${lookList}|sides`).slice(0, Math.floor(pairs.length / 2)));
  await mkdir(out, { recursive: true });
  const font = await labelFont();
  const key: Record<string, PairKey> = {};
  for (const [i, { clip, look }] of pairs.entries()) {
    const n = String(i + 1).padStart(2, '0');
    const [before, after] = [await tileOf(oldPanel, clip, look), await tileOf(newPanel, clip, look)];
    const [a, b] = oldLeft.has(i) ? [before, after] : [after, before];
    await run('montage', ['-label', 'A', a, '-label', 'B', b, ...(font ? ['-font', font] : []), '-tile', '2x', '-geometry', '+8+8', '-pointsize', '22', join(out, `pair-${n}.png`)]);
    await copyFile(join(oldPanel, clip, 'source.png'), join(out, `pair-${n}-source.png`));
    key[String(i + 1)] = { clip, look, old: oldLeft.has(i) ? 'A' : 'B' };
  }
  await writeFile(join(out, 'key.json'), JSON.stringify(key, null, 1));
  await writeFile(join(out, 'instructions.md'), pairInstructions(pairs.map((p) => p.look)));
  console.log(`${pairs.length} pairs in ${out}`);
}

await main();
