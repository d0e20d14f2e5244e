/**
 * Does the measure of detail per tone third agree with the viewers? (`npm run
 * panel-agreement -- <panel-dir>... [--stills <dir>]`). For every tile of a committed
 * blind panel (panel-tiles.ts; the stills default to scikit-image's, where the panels'
 * came from) it scores the tile with `readability` (metrics/tone-detail.ts) and sets the scores beside
 * what the viewers called: the face (yes / partly / no) against the face box's score,
 * and the darks (kept / crushed) against the dark third's. Prints, for each, how often
 * the measure's flag (a face or a third under READABLE, a crushed share over CRUSHED) and the viewers' "no" coincide, and the chance
 * that a tile a viewer called lost scores lower than one every viewer called kept (the
 * area under the ROC curve: 0.5 is no agreement, 1 a perfect ordering).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { boxStructure, CRUSHED, crushedShare, READABLE, readability } from '../src/engines/local/metrics/tone-detail.ts';
import type { Answer } from './lib/panel-answers.ts';
import { panelTiles, STILLS } from './lib/panel-tiles.ts';

interface Scored {
  clip: string;
  look: string;
  /** Higher is better for every score. */
  scores: Record<string, number | undefined>;
  calls: Answer[];
}

/** A tile is flagged when a score is under its line. */
const FLAG: Record<string, number> = { face: READABLE, faceStructure: READABLE, dark: READABLE, uncrushed: 1 - CRUSHED };

/** P(a lost tile scores below a kept one), ties counting half. */
function rocArea(lost: number[], kept: number[]): number {
  let wins = 0;
  for (const a of lost) for (const b of kept) wins += a < b ? 1 : a === b ? 0.5 : 0;
  return lost.length && kept.length ? wins / (lost.length * kept.length) : NaN;
}

function report(what: string, tiles: Scored[], name: string, call: (a: Answer) => string): void {
  const score = (t: Scored): number | undefined => t.scores[name];
  const rated = tiles.filter((t) => score(t) !== undefined && t.calls.some((a) => call(a) !== 'none'));
  const lost = rated.filter((t) => t.calls.some((a) => call(a) === 'no'));
  const kept = rated.filter((t) => t.calls.every((a) => call(a) === 'yes'));
  const partly = rated.length - lost.length - kept.length;
  const flagged = (ts: Scored[]) => ts.filter((t) => score(t)! < FLAG[name]!).length;
  const fmt = (t: Scored) => `${t.look}@${t.clip}(${score(t)!.toFixed(3)}; ${t.calls.map((a) => call(a)).join('/')})`;
  console.log(`\n${what}: ${rated.length} tiles rated; a viewer said "no" on ${lost.length}, all said "yes" on ${kept.length}, the rest ${partly} "partly"`);
  console.log(`  flagged (under ${FLAG[name]!.toFixed(3)}): ${flagged(lost)} of the ${lost.length} called lost, ${flagged(kept)} of the ${kept.length} called kept`);
  console.log(`  ROC area (lost scores lower than kept): ${rocArea(lost.map((t) => score(t)!), kept.map((t) => score(t)!)).toFixed(2)}`);
  console.log(`  called lost: ${lost.map(fmt).join(', ') || 'none'}`);
  console.log(`  flagged, called kept: ${kept.filter((t) => score(t)! < FLAG[name]!).map(fmt).join(', ') || 'none'}`);
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
        const scores = {
          face: r.face?.kept,
          faceStructure: t.face ? boxStructure(t.source, t.styled, t.face).kept : undefined,
          dark: r.thirds.dark.kept,
          uncrushed: 1 - crushedShare(t.source, t.styled),
        };
        tiles.push({ clip: t.clip, look: t.look, scores, calls: t.calls });
      }
    }
    report('faces, boxDetail of the face box', tiles, 'face', (a) => a.faces);
    report('faces, boxStructure of the face box', tiles, 'faceStructure', (a) => a.faces);
    report('darks, the dark third\'s kept score', tiles, 'dark', (a) => a.darks);
    report('darks, 1 − crushedShare', tiles, 'uncrushed', (a) => a.darks);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
