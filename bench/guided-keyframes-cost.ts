/**
 * What keyframes cost: full renders through the local engine of a 10 s clip at 540p
 * (960×540) with one restyled keyframe and with four, timed (wall, and CPU of the
 * engine's children: the learning children, the decoder, the mapper and the encoder)
 * and with the peak resident memory of this process and all its children sampled.
 *
 *   node bin/run-ts.js bench/guided-keyframes-cost.ts
 *
 * Two clips: four shots of 2.5 s (a keyframe near the start of each, the common case),
 * and one 10 s shot with four keyframes spread over it, where every frame between two
 * keyframes is a candidate for a crossfade (the dearest case).
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLocalEngine } from '../src/engines/local/index.ts';
import type { LocalInterpretation } from '../src/engines/local/interpretation.ts';
import type { KeyframeRef } from '../src/models/request.ts';
import { makeCutClip, type CutClip } from '../test/support/cut-clips.ts';
import { EFFECTS, effectFrames, writePng } from '../test/support/guided-fixtures.ts';
import { childCpuSeconds, samplePeakRss } from './lib/process-tree.ts';

const engine = createLocalEngine();
const LOOKS = [EFFECTS.teal_orange, EFFECTS.sepia, EFFECTS.painterly, EFFECTS.posterise];

async function keyframesOf(clip: CutClip, frames: readonly number[], dir: string): Promise<KeyframeRef[]> {
  const refs: KeyframeRef[] = [];
  for (const [i, frame] of frames.entries()) {
    const image = join(dir, `${clip.path.split('/').pop()}-${frame}.png`);
    await writePng((await effectFrames(clip.path, clip.fps, clip, LOOKS[i % LOOKS.length]!, [frame])).get(frame)!, image);
    refs.push({ image, frame });
  }
  return refs;
}

async function measured(clip: CutClip, keyframes: KeyframeRef[], dir: string): Promise<string> {
  const workDir = await mkdtemp(join(dir, 'job-'));
  const sampler = samplePeakRss(process.pid, 100);
  const cpu0 = childCpuSeconds();
  const t0 = performance.now();
  const result = await engine.render({
    generationId: 'gen_bench', workDir, signal: new AbortController().signal, onProgress: () => undefined,
    request: { prompt: 'film look', input_video: clip.path, keyframes, resolution: '540p', duration: '10s', hdr: false, exr_export: false },
    async fetchInput(path, name) {
      await copyFile(path, join(workDir, name));
      return join(workDir, name);
    },
  });
  const wall = (performance.now() - t0) / 1000;
  const cpu = childCpuSeconds() - cpu0;
  const peak = await sampler.stop();
  const frames = Math.round((result.interpretation as LocalInterpretation).output.duration_s * 30);
  await rm(workDir, { recursive: true, force: true });
  return `${wall.toFixed(1)} s wall, ${cpu.toFixed(1)} s CPU (${((cpu / frames) * 1000).toFixed(0)} ms a frame), peak ${(peak / 1024 ** 2).toFixed(0)} MB`;
}

const dir = await mkdtemp(join(tmpdir(), 'retake-keyframes-cost-'));
try {
  const shots = await makeCutClip(['rabbit.mp4', 'flower.mp4', 'bbb_10s.webm', 'rabbit.mp4'].map((from, i) => ({ from, start: i === 3 ? 4 : 0, frames: 75 })), dir, 'four-shots.mp4', 960, 540);
  const single = await makeCutClip([{ from: 'bbb_10s.webm', start: 0, frames: 300 }], dir, 'one-shot.mp4', 960, 540);
  const rows: [string, string][] = [];
  for (const [name, clip, frames] of [
    ['four shots, one keyframe', shots, [3]], ['four shots, a keyframe per shot', shots, [3, 78, 153, 228]],
    ['one shot, one keyframe', single, [0]], ['one shot, four keyframes', single, [0, 100, 200, 299]],
  ] as const) {
    rows.push([name, await measured(clip, await keyframesOf(clip, frames, dir), dir)]);
    process.stderr.write(`${rows.at(-1)!.join(': ')}\n`);
  }
  console.log(['| 10 s at 540p (960×540) | cost |', '| --- | --- |', ...rows.map(([a, b]) => `| ${a} | ${b} |`)].join('\n'));
} finally {
  await rm(dir, { recursive: true, force: true });
}
