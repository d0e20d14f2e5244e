/**
 * Scores paired comparisons (`npm run panel-pairs-score -- <pairs-dir> <answers.txt>...`):
 * per look, how often the viewers preferred the new rendering, the old one or neither,
 * and likewise for the faces, per viewer and over all; and how often each side was
 * picked, so a leaning to one side shows.
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { type PairKey, parsePairAnswers } from './lib/panel-pairs.ts';

type Tally = Record<'new' | 'old' | 'same' | 'none', number>;
const empty = (): Tally => ({ new: 0, old: 0, same: 0, none: 0 });
const asVersion = (side: string, key: PairKey): keyof Tally => (side === 'same' || side === 'none' ? side : side === key.old ? 'old' : 'new');
const show = (t: Tally) => `new ${t.new}, old ${t.old}, same ${t.same}`;

async function main(): Promise<void> {
  const [dir, ...files] = process.argv.slice(2);
  if (!dir || files.length === 0) throw new Error('usage: panel-pairs-score <pairs-dir> <answers.txt>...');
  const key = JSON.parse(await readFile(join(dir, 'key.json'), 'utf8')) as Record<string, PairKey>;
  const total = new Map<string, { pick: Tally; faces: Tally }>();
  for (const file of files) {
    const answers = parsePairAnswers(await readFile(file, 'utf8'));
    const mine = new Map<string, { pick: Tally; faces: Tally }>();
    const sides = { A: 0, B: 0 };
    for (const a of answers) {
      const k = key[String(a.pair)];
      if (!k) continue;
      for (const tallies of [mine, total]) {
        if (!tallies.has(k.look)) tallies.set(k.look, { pick: empty(), faces: empty() });
        tallies.get(k.look)!.pick[asVersion(a.pick, k)]++;
        tallies.get(k.look)!.faces[asVersion(a.faces, k)]++;
      }
      if (a.pick === 'A' || a.pick === 'B') sides[a.pick]++;
    }
    console.log(`\n${basename(file)}: ${answers.length} answers (A picked ${sides.A}, B ${sides.B})`);
    for (const [look, t] of mine) console.log(`  ${look}: preferred ${show(t.pick)}; faces ${show(t.faces)}`);
  }
  console.log('\nall viewers:');
  for (const [look, t] of total) console.log(`  ${look}: preferred ${show(t.pick)}; faces ${show(t.faces)}`);
}

await main();
