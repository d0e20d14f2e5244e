/**
 * Time of the field of directions (`npm run bench:flow-field`): per frame at 540p and
 * 1080p (frame 0 of flower.mp4 scaled), by the compiled stage and by the TypeScript
 * reference, best of BENCH_RUNS (3).
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { flowFieldReference } from '../src/engines/local/marks/flow-field.ts';
import { lumaPlane } from '../src/engines/local/marks/gaussian.ts';
import { loadPixelStage } from '../src/engines/local/pixel-stage/index.ts';
import { printTable, type Row } from './lib/report.ts';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));

function best(fn: () => void): number {
  let fastest = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    fn();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return fastest;
}

const { addon, problem } = loadPixelStage();
const rows: Row[] = [];
for (const [label, width, height] of [['540p', 960, 540], ['1080p', 1920, 1080]] as const) {
  const data = new Uint8Array(execFileSync('ffmpeg', ['-v', 'error', '-i', 'test/fixtures/media/flower.mp4', '-frames:v', '1', '-vf', `scale=${width}:${height}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 64 << 20 }));
  const angle = new Float32Array(width * height), coherence = new Float32Array(width * height);
  if (addon) rows.push({ metric: `flow field ${label}, compiled stage (ms/frame)`, value: best(() => addon.flowField(data, width, height, 2, angle, coherence)).toFixed(1), goal: '' });
  else rows.push({ metric: `flow field ${label}, compiled stage`, value: `not in use: ${problem}`, goal: '' });
  rows.push({ metric: `flow field ${label}, reference (ms/frame)`, value: best(() => flowFieldReference(lumaPlane(data, width, height), width, height, 2)).toFixed(1), goal: '' });
}
printTable(rows);
