/**
 * How much a video flickers: the mean change between consecutive frames at 160×90,
 * leaving out cuts (changes far above the typical one). Guided renders must stay within
 * 1.5× their source's figure.
 */
import { readFrames } from '../../src/engines/local/frame-reader.ts';

/** Mean absolute change (0..255) between consecutive frames of `path`, cuts left out. */
export async function flicker(path: string): Promise<number> {
  const diffs = await frameChanges(path);
  const typical = [...diffs].sort((a, b) => a - b)[Math.floor(diffs.length / 2)]!;
  const kept = diffs.filter((d) => d < typical * 4 + 2);
  return kept.reduce((a, b) => a + b, 0) / kept.length;
}

/** Mean absolute change between frame i and i + 1 of `path` at 160×90, 30 fps. */
export async function frameChanges(path: string): Promise<number[]> {
  const { frames } = await readFrames({ input: path, graph: '[0:v]fps=30[v]', width: 160, height: 90, pixFmt: 'rgb24' });
  return frames.slice(1).map((f, i) => {
    let sum = 0;
    for (let j = 0; j < f.length; j++) sum += Math.abs(f[j]! - frames[i]![j]!);
    return sum / f.length;
  });
}
