/**
 * A marks kernel on a still image, in this process: for tests, scripts and tuning. The
 * kernel runs `frames` times on the same picture (a kernel with state, such as advected
 * strokes, settles over its first frames) and the last result is handed back.
 */
import { readFrames } from '../frame-reader.ts';
import type { RgbFrame } from '../guided/metrics.ts';
import { openMarksRun } from '../pixel-stage/index.ts';

/** `kernel` with `params` on `frame`, run `frames` times (default 1) in one run. */
export function markStill(kernel: string, frame: RgbFrame, params: readonly number[], frames = 1): RgbFrame {
  const run = openMarksRun(kernel);
  try {
    let out: Uint8Array = new Uint8Array(frame.data.length);
    for (let i = 0; i < Math.max(1, frames); i++) out = run.frame(frame.data, frame.width, frame.height, params, new Uint8Array(frame.data.length));
    return { width: frame.width, height: frame.height, data: out };
  } finally {
    run.close();
  }
}

/** The image or video frame at `path` (its first), scaled to `width`×`height`, as RGB. */
export async function readStill(path: string, width: number, height: number, ffmpegPath?: string): Promise<RgbFrame> {
  const { frames } = await readFrames({ input: path, graph: `[0:v]scale=${width}:${height}:flags=bicubic,setsar=1[v]`, width, height, pixFmt: 'rgb24', ffmpegPath });
  const first = frames[0];
  if (!first) throw new Error(`${path} holds no picture`);
  return { width, height, data: new Uint8Array(first.buffer, first.byteOffset, first.length) };
}
