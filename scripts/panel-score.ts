/**
 * Scores a blind panel (`npm run panel-score -- <panel-dir> <answers.txt>...`): reads
 * each viewer's answers in the line format of scripts/lib/panel-prompts.ts and the
 * key.json of every clip that scripts/blind-panel.ts wrote, and prints, per viewer and
 * clip, how many tiles were named right, how many were rated 2 ("clearly") and 0 ("not
 * really"), and every tile whose face or darks a viewer called lost; then, per look,
 * its ratings over all viewers and clips.
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseAnswers } from './lib/panel-answers.ts';

async function main(): Promise<void> {
  const [dir, ...files] = process.argv.slice(2);
  if (!dir || files.length === 0) throw new Error('usage: panel-score <panel-dir> <answers.txt>...');
  const keys = new Map<string, Record<string, string>>();
  const perLook = new Map<string, number[]>();
  for (const file of files) {
    const answers = parseAnswers(await readFile(file, 'utf8'));
    console.log(`\n${basename(file)}: ${answers.length} answers`);
    const clips = [...new Set(answers.map((a) => a.clip))];
    for (const clip of clips) {
      if (!keys.has(clip)) keys.set(clip, JSON.parse(await readFile(join(dir, clip, 'key.json'), 'utf8')) as Record<string, string>);
      const key = keys.get(clip)!;
      const mine = answers.filter((a) => a.clip === clip);
      const right = mine.filter((a) => key[a.tile] === a.name);
      const lost = mine.filter((a) => a.faces === 'no' || a.darks === 'no').map((a) => `${key[a.tile]}(faces ${a.faces}, darks ${a.darks})`);
      for (const a of mine) perLook.set(key[a.tile]!, [...(perLook.get(key[a.tile]!) ?? []), key[a.tile] === a.name ? a.rating : -1]);
      console.log(`  ${clip}: named ${right.length}/${mine.length}, clearly ${mine.filter((a) => a.rating === 2).length}, not really ${mine.filter((a) => a.rating === 0).length}` +
        `${lost.length ? `; lost: ${lost.join(', ')}` : ''}` +
        `${right.length < mine.length ? `; misnamed: ${mine.filter((a) => key[a.tile] !== a.name).map((a) => `${key[a.tile]}→${a.name}`).join(', ')}` : ''}`);
    }
  }
  console.log('\nper look (rating per answer; x = misnamed):');
  for (const [look, ratings] of [...perLook].sort()) console.log(`  ${look.padEnd(14)} ${ratings.map((r) => (r < 0 ? 'x' : String(r))).join(' ')}`);
}

await main();
