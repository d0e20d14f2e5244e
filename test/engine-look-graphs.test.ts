/**
 * Every look's filters start in the real FFmpeg at every output size retake renders, at
 * the gentlest and the strongest edit: a radius that grows with the frame can pass an
 * FFmpeg limit only at a larger size (noir's unsharp matrix was refused at 1080p, which
 * no 540p test saw). A look with a marks step is started in its two FFmpeg parts, the
 * filters before the kernel and the ones after it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { lookGraph, lookMarks, type LookSpec } from '../src/engines/local/look-filters.ts';
import { lookIntensity } from '../src/engines/local/strength.ts';
import { LOOK_STYLES } from '../src/engines/local/vocabulary.ts';
import { scaled } from './support/deadline.ts';

const run = promisify(execFile);
/** The output sizes of 540p, 720p and 1080p, landscape, and 1080p portrait. */
const SIZES = [[960, 540], [1280, 720], [1920, 1080], [1080, 1920]] as const;
const STRENGTHS = [lookIntensity('adhere_1', []), lookIntensity('reimagine_3', ['bold'])];

/** FFmpeg's complaint when `graph` cannot start on one frame of a test pattern, or undefined. */
async function refusal(graph: string, width: number, height: number): Promise<string | undefined> {
  try {
    await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=s=${width}x${height}:d=0.1:r=10`, '-filter_complex', `[0:v]format=yuv420p[in];${graph}`, '-map', '[out]', '-frames:v', '1', '-f', 'null', '-']);
    return undefined;
  } catch (error) {
    return (error as { stderr?: string }).stderr?.trim().split('\n').slice(-3).join(' ') ?? String(error);
  }
}

describe('every look starts in FFmpeg at every output size', () => {
  for (const style of LOOK_STYLES) {
    it(`${style}`, async () => {
      const look: LookSpec = { style, palette: 'none', modifiers: [] };
      const failures: string[] = [];
      for (const [width, height] of SIZES) {
        for (const k of STRENGTHS) {
          const ctx = { width, height };
          const parts = lookMarks(look, k, ctx) ? (['before', 'after'] as const) : (['all'] as const);
          for (const part of parts) {
            const why = await refusal(lookGraph(look, k, ctx, { input: 'in', output: 'out', prefix: 'g' }, part), width, height);
            if (why) failures.push(`${width}×${height} at k ${k} (${part}): ${why}`);
          }
        }
      }
      expect(failures).toEqual([]);
    }, scaled(120_000));
  }
});
