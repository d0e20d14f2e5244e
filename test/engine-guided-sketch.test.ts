/**
 * Guided mode keeps a stroked sketch a sketch through a moving shot: a pencil
 * sketch of frame 0 (outlines and diagonal hatching in the shadows, made with FFmpeg's
 * filters, not the ImageMagick marks the picture marks were tuned on), sent over HTTP
 * beside a panning shot, comes back with later frames that look like the same sketch
 * effect applied to those frames (texture figure TE clearly below the untouched
 * source's) and without boiling (flicker within 1.5× the source's).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFrames } from '../src/engines/local/frame-reader.ts';
import { textureError } from '../src/engines/local/guided/marks/texture-error.ts';
import { scaled } from './support/deadline.ts';
import { guidedOverPan, type PanRun } from './support/guided-pan.ts';
import { flicker } from './support/flicker.ts';

const run = promisify(execFile);
/**
 * The sketch effect, reading `[0:v]` and writing `[v]`: FFmpeg's edge detector as dark
 * outlines on white, darkened with diagonal hatching where the picture is dark.
 */
const SKETCH = "[0:v]format=gray,split[a][b];[a]edgedetect=low=0.06:high=0.18,negate[e];" +
  "[b]geq=lum='if(lt(lum(X\\,Y)\\,120)*lt(mod(2*X+Y\\,6)\\,1.5)\\,70\\,255)'[h];[e][h]blend=all_mode=darken,format=rgb24[v]";

let pan: PanRun;
let interpretation: any;
let outputPath: string;

beforeAll(async () => {
  pan = await guidedOverPan('sketch', 'a pencil sketch', async (frame0, root) => {
    await run('ffmpeg', ['-v', 'error', '-i', frame0, '-filter_complex', SKETCH, '-map', '[v]', '-y', join(root, 'sketch.png')]);
    return 'sketch.png';
  });
  ({ interpretation, outputPath } = pan);
}, scaled(300_000));

afterAll(async () => {
  await pan?.close();
});

describe('a guided request with a pencil sketch of frame 0 over a panning shot', () => {
  it('is learned from the sketch, not a colour transfer', () => {
    expect(interpretation.mode, JSON.stringify(interpretation)).toBe('guided');
    console.log(`sketch parts: ${JSON.stringify(interpretation.guided.parts)}`);
  });

  it('stays a sketch on later frames: TE against the sketch of that frame under half the source\'s', async () => {
    const { width, height } = interpretation.output as { width: number; height: number };
        const { frames: out } = await readFrames({ input: outputPath, width, height, pixFmt: 'rgb24' });
    const { frames: source } = await readFrames({ input: pan.pan, width, height, pixFmt: 'rgb24' });
    const { frames: truth } = await readFrames({ input: pan.pan, graph: SKETCH, width, height, pixFmt: 'rgb24' });
    expect(out.length).toBeGreaterThanOrEqual(85);
    const frame = (data: Buffer): { width: number; height: number; data: Uint8Array } => ({ width, height, data });
    const figures: string[] = [];
    for (const index of [30, 60, out.length - 1]) {
      const te = textureError(frame(out[index]!), frame(truth[index]!));
      const untouched = textureError(frame(source[index]!), frame(truth[index]!));
      figures.push(`frame ${index}: TE ${te.toFixed(3)}, source ${untouched.toFixed(3)}`);
      expect(te, figures.join('; ')).toBeLessThan(untouched * 0.5);
    }
    console.log(`sketch TE: ${figures.join('; ')}`);
  });

  it('does not boil: flickers no more than 1.5× the panning source', async () => {
    const [out, src] = [await flicker(outputPath), await flicker(pan.pan)];
    console.log(`sketch flicker: output ${out.toFixed(2)}, source ${src.toFixed(2)}`);
    expect(out).toBeLessThan(src * 1.5);
  });
});
