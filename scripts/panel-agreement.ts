/**
 * Does the measure of detail per tone third agree with the viewers? (`npm run
 * panel-agreement -- <panel-dir>... [--stills <dir>]`). For every tile of a committed
 * blind panel (panel-tiles.ts; the stills default to scikit-image's, where the panels'
 * came from) it scores the tile with `readability` (metrics/tone-detail.ts) and sets the scores beside
 * what the viewers called: the face (yes / partly / no) against the face box's score,
 * and the darks (kept / crushed) against the dark third's. Prints, for each, how often
 * the measure's flag (under READABLE) and the viewers' "no" coincide, and the chance
 * that a tile a viewer called lost scores lower than one every viewer called kept (the
 * area under the ROC curve: 0.5 is no agreement, 1 a perfect ordering).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { READABLE, readability } from '../src/engines/local/metrics/tone-detail.ts';
import type { Answer } from './lib/panel-answers.ts';
import { panelTiles, STILLS } from './lib/panel-tiles.ts';

interface Scored {
  clip: string;
  look: string;
  face: number | undefined;
  dark: number | undefined;
  calls: Answer[];
}

/** P(a lost tile scores below a kept one), ties counting half. */
function rocArea(lost: number[], kept: number[]): number {
  let wins = 0;
  for (const a of lost) for (const b of kept) wins += a < b ? 1 : a === b ? 0.5 : 0;
  return lost.length && kept.length ? wins / (lost.length * kept.length) : NaN;
}

function report(what: string, tiles: Scored[], score: (t: Scored) => number | undefined, call: (a: Answer) => string): void {
  const rated = tiles.filter((t) => score(t) !== undefined && t.calls.some((a) => call(a) !== 'none'));
  const lost = rated.filter((t) => t.calls.some((a) => call(a) === 'no'));
  const kept = rated.filter((t) => t.calls.every((a) => call(a) === 'yes'));
  const partly = rated.length - lost.length - kept.length;
  const flagged = (ts: Scored[]) => ts.filter((t) => score(t)! < READABLE).length;
  const fmt = (t: Scored) => `${t.look}@${t.clip}(${score(t)!.toFixed(2)}; ${t.calls.map((a) => call(a)).join('/')})`;
  console.log(`\n${what}: ${rated.length} tiles rated; a viewer said "no" on ${lost.length}, all said "yes" on ${kept.length}, the rest ${partly} "partly"`);
  console.log(`  flagged (under ${READABLE}): ${flagged(lost)} of the ${lost.length} called lost, ${flagged(kept)} of the ${kept.length} called kept`);
  console.log(`  ROC area (lost scores lower than kept): ${rocArea(lost.map((t) => score(t)!), kept.map((t) => score(t)!)).toFixed(2)}`);
  console.log(`  called lost: ${lost.map(fmt).join(', ') || 'none'}`);
  console.log(`  flagged, called kept: ${kept.filter((t) => score(t)! < READABLE).map(fmt).join(', ') || 'none'}`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--stills');
  const stills = at >= 0 ? resolve(args.splice(at, 2)[1]!) : STILLS;
  if (args.length === 0) throw new Error('usage: panel-agreement <panel-dir>... [--stills <dir>]');
  const dir = await mkdtemp(join(tmpdir(), 'retake-panel-agreement-'));
  try {
    const tiles: Scored[] = [];
    for (const panel of args) {
      for (const t of await panelTiles(resolve(panel), stills, dir)) {
        const r = readability(t.source, t.styled, t.face ? { face: t.face } : {});
        tiles.push({ clip: t.clip, look: t.look, face: r.face?.kept, dark: r.thirds.dark.kept, calls: t.calls });
      }
    }
    report('faces (face box score)', tiles, (t) => t.face, (a) => a.faces);
    report('darks (dark third score)', tiles, (t) => t.dark, (a) => a.darks);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
