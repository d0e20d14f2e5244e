/**
 * Scores paired comparisons (`npm run panel-pairs-score -- <pairs-dir> <answers.txt>...`):
 * per look, how often the viewers preferred the new rendering, the old one or neither,
 * and likewise for the faces, per viewer and over all; the sum of each version's ratings
 * (0 to 2 a pair) where the viewers gave them; and how often each side was picked, so a
 * leaning to one side shows.
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { type PairKey, parsePairAnswers, parsePairRatings } from './lib/panel-pairs.ts';

type Tally = Record<'new' | 'old' | 'same' | 'none', number>;
const empty = (): Tally => ({ new: 0, old: 0, same: 0, none: 0 });
const asVersion = (side: string, key: PairKey): keyof Tally => (side === 'same' || side === 'none' ? side : side === key.old ? 'old' : 'new');
const show = (t: Tally) => `new ${t.new}, old ${t.old}, same ${t.same}`;
type Scores = { pick: Tally; faces: Tally; rated: { new: number; old: number; pairs: number } };
const scores = (): Scores => ({ pick: empty(), faces: empty(), rated: { new: 0, old: 0, pairs: 0 } });
const line = (look: string, t: Scores) =>
  `  ${look}: preferred ${show(t.pick)}; faces ${show(t.faces)}${t.rated.pairs ? `; ratings new ${t.rated.new}, old ${t.rated.old} (${t.rated.pairs} pairs)` : ''}`;

async function main(): Promise<void> {
  const [dir, ...files] = process.argv.slice(2);
  if (!dir || files.length === 0) throw new Error('usage: panel-pairs-score <pairs-dir> <answers.txt>...');
  const key = JSON.parse(await readFile(join(dir, 'key.json'), 'utf8')) as Record<string, PairKey>;
  const total = new Map<string, Scores>();
  const of = (tallies: Map<string, Scores>, look: string): Scores => {
    if (!tallies.has(look)) tallies.set(look, scores());
    return tallies.get(look)!;
  };
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    const answers = parsePairAnswers(text);
    const mine = new Map<string, Scores>();
    const sides = { A: 0, B: 0 };
    for (const a of answers) {
      const k = key[String(a.pair)];
      if (!k) continue;
      for (const tallies of [mine, total]) {
        of(tallies, k.look).pick[asVersion(a.pick, k)]++;
        of(tallies, k.look).faces[asVersion(a.faces, k)]++;
      }
      if (a.pick === 'A' || a.pick === 'B') sides[a.pick]++;
    }
    for (const r of parsePairRatings(text)) {
      const k = key[String(r.pair)];
      if (!k) continue;
      const newer = k.old === 'A' ? 'B' : 'A';
      for (const tallies of [mine, total]) {
        const rated = of(tallies, k.look).rated;
        rated.old += r[k.old];
        rated.new += r[newer];
        rated.pairs++;
      }
    }
    console.log(`\n${basename(file)}: ${answers.length} answers (A picked ${sides.A}, B ${sides.B})`);
    for (const [look, t] of mine) console.log(line(look, t));
  }
  console.log('\nall viewers:');
  for (const [look, t] of total) console.log(line(look, t));
}

await main();
