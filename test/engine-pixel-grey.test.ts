/**
 * Pixel art on a black-and-white shot, through the real local engine: a grey source
 * prints in a palette of its own, warm where a face's tones lie, not as a lavender-grey
 * mask with violet features, and keeps its structure (boxStructure, docs/tones.md).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalEngine } from '../src/engines/local/index.ts';
import { readFrames } from '../src/engines/local/frame-reader.ts';
import type { RgbFrame } from '../src/engines/local/guided/metrics.ts';
import { boxStructure, type Box } from '../src/engines/local/metrics/tone-detail.ts';
import { localJob } from './support/engine-job.ts';
import { scaled } from './support/deadline.ts';

const run = promisify(execFile);
const portrait = fileURLToPath(new URL('./fixtures/media/portrait.mp4', import.meta.url));
const engine = createLocalEngine();
/** The face clip drained of colour. */
const VARIANTS = { grey: 'hue=s=0' } as const;
type Variant = keyof typeof VARIANTS;
/** The face in the portrait clip, as shares of the frame. */
const FACE: Box = { x: 0.22, y: 0.38, width: 0.55, height: 0.3 };
const W = 540, H = 810, AT = 6;
let root: string;
const source = new Map<Variant, RgbFrame>();
const styled = new Map<Variant, RgbFrame>();

async function frameOf(path: string): Promise<RgbFrame> {
  const { frames } = await readFrames({ input: path, graph: `[0:v]fps=30,scale=${W}:${H},setsar=1[v]`, width: W, height: H, pixFmt: 'rgb24' });
  const f = frames[AT]!;
  return { width: W, height: H, data: new Uint8Array(f.buffer, f.byteOffset, f.length) };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'retake-pixel-faces-'));
  for (const variant of Object.keys(VARIANTS) as Variant[]) {
    const clip = join(root, `${variant}.mp4`);
    await run('ffmpeg', ['-v', 'error', '-t', '0.45', '-i', portrait, '-vf', `${VARIANTS[variant]},format=yuv420p`, '-an', '-c:v', 'libx264', '-crf', '14', '-preset', 'veryfast', '-y', clip]);
    source.set(variant, await frameOf(clip));
    const result = await engine.render(localJob(await mkdtemp(join(root, 'job-')), { input_video: clip, prompt: 'pixel art', resolution: '540p' }));
    styled.set(variant, await frameOf(result.outputs[0]!.path));
  }
}, scaled(300_000));

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/** The pixels of `box` (all of the frame by default) with a luma in lo..hi, as [R, G, B, luma]. */
function pixels(f: RgbFrame, box: Box = { x: 0, y: 0, width: 1, height: 1 }, lo = 0, hi = 255): [number, number, number, number][] {
  const out: [number, number, number, number][] = [];
  for (let y = Math.round(box.y * H); y < Math.round((box.y + box.height) * H); y++) {
    for (let x = Math.round(box.x * W); x < Math.round((box.x + box.width) * W); x++) {
      const i = 3 * (y * W + x), r = f.data[i]!, g = f.data[i + 1]!, b = f.data[i + 2]!;
      const l = 0.299 * r + 0.587 * g + 0.114 * b;
      if (l >= lo && l <= hi) out.push([r, g, b, l]);
    }
  }
  return out;
}

/** Share of `px` with a violet cast: red and blue both above green by more than `margin` levels (any lavender or purple tint). */
const violet = (px: readonly [number, number, number, number][], margin = 4): number => px.filter(([r, g, b]) => Math.min(r, b) - g > margin).length / Math.max(1, px.length);

describe('pixel art on a black-and-white shot', () => {
  it('prints a black-and-white shot in a palette of its own: no lavender or purple, a warm face', () => {
    const out = styled.get('grey')!;
    // Above the outlines and below the palette's white.
    const frame = violet(pixels(out, undefined, 30, 235)), face = pixels(out, FACE, 30, 235);
    const warm = face.reduce((s, [r, , b]) => s + r - b, 0) / Math.max(1, face.length);
    const structure = boxStructure(source.get('grey')!, out, FACE).kept ?? 0;
    console.log(`pixel art on the black-and-white shot: ${(100 * frame).toFixed(1)} % of the frame violet, ${(100 * violet(face)).toFixed(1)} % of the face; the face red over blue ${warm.toFixed(1)}; face structure ${structure.toFixed(2)}`);
    // Before (the colour ramp, lavender-grey in the middles): 11.9 % of the frame, 25.4 %
    // of the face, the face red over blue 3.7 (0.1 %, 0.1 % and 25 after).
    expect(frame).toBeLessThan(0.05);
    expect(violet(face)).toBeLessThan(0.05);
    expect(warm).toBeGreaterThan(5);
    expect(structure).toBeGreaterThan(0.95);
  });
});
