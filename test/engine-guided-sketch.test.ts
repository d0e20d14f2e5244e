/**
 * Guided mode keeps a stroked sketch a sketch through a moving shot (issue 24): a pencil
 * sketch of frame 0 (outlines and diagonal hatching in the shadows, made with FFmpeg's
 * filters, not the ImageMagick marks the picture marks were tuned on), sent over HTTP
 * beside a panning shot, comes back with later frames that look like the same sketch
 * effect applied to those frames (texture figure TE clearly below the untouched
 * source's) and without boiling (flicker within 1.5× the source's).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDirectory, startHarness, type Harness } from '../src/api/testing.ts';
import { readFrames } from '../src/engines/local/frame-reader.ts';
import { textureError } from '../src/engines/local/guided/marks/texture-error.ts';
import { scaled } from './support/deadline.ts';
import { flicker } from './support/flicker.ts';

const run = promisify(execFile);
const media = fileURLToPath(new URL('./fixtures/media/', import.meta.url));
/**
 * The sketch effect, reading `[0:v]` and writing `[v]`: FFmpeg's edge detector as dark
 * outlines on white, darkened with diagonal hatching where the picture is dark.
 */
const SKETCH = "[0:v]format=gray,split[a][b];[a]edgedetect=low=0.06:high=0.18,negate[e];" +
  "[b]geq=lum='if(lt(lum(X\\,Y)\\,120)*lt(mod(2*X+Y\\,6)\\,1.5)\\,70\\,255)'[h];[e][h]blend=all_mode=darken,format=rgb24[v]";

let root: string;
let h: Harness;
let served: Awaited<ReturnType<typeof serveDirectory>>;
let interpretation: any;
let outputPath: string;

const api = async (method: string, path: string, body?: unknown): Promise<any> => {
  const res = await fetch(`${h.baseUrl}${path}`, {
    method, headers: { ...h.auth, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : null,
  });
  return res.json();
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'retake-guided-sketch-'));
  // A 3 s pan: a 640×360 window moving right and down across the photo.
  const pan = join(root, 'pan.mp4');
  await run('ffmpeg', ['-v', 'error', '-loop', '1', '-framerate', '30', '-i', join(media, 'london.jpg'), '-t', '3',
    '-vf', "crop=640:360:x='40+t*60':y='200+t*20',format=yuv420p", '-c:v', 'libx264', '-crf', '16', '-preset', 'veryfast', '-y', pan]);
  await run('ffmpeg', ['-v', 'error', '-i', pan, '-frames:v', '1', '-filter_complex', SKETCH, '-map', '[v]', '-y', join(root, 'sketch.png')]);

  h = await startHarness({ listen: true, role: 'all', config: { maxAttempts: 1 } });
  served = await serveDirectory(root);
  const res = await api('POST', '/api/ai/videos/generate', {
    model: 'retake-local', prompt: 'a pencil sketch', input_video: `${served.url}/pan.mp4`, input_image: `${served.url}/sketch.png`,
  });
  expect(res.videos?.[0]?.url, JSON.stringify(res)).toBeDefined();
  interpretation = (await api('GET', `/api/ai/generations/${res.generation_id}`)).generation.interpretation;
  outputPath = join(root, 'output.mp4');
  await writeFile(outputPath, Buffer.from(await (await fetch(res.videos[0].url)).arrayBuffer()));
}, scaled(300_000));

afterAll(async () => {
  await h?.close();
  await served?.close();
  await rm(root, { recursive: true, force: true });
});

describe('a guided request with a pencil sketch of frame 0 over a panning shot', () => {
  it('is learned from the sketch, not a colour transfer', () => {
    expect(interpretation.mode, JSON.stringify(interpretation)).toBe('guided');
    console.log(`sketch parts: ${JSON.stringify(interpretation.guided.parts)}`);
  });

  it('stays a sketch on later frames: TE against the sketch of that frame under half the source\'s', async () => {
    const { width, height } = interpretation.output as { width: number; height: number };
    const pan = join(root, 'pan.mp4');
    const { frames: out } = await readFrames({ input: outputPath, width, height, pixFmt: 'rgb24' });
    const { frames: source } = await readFrames({ input: pan, width, height, pixFmt: 'rgb24' });
    const { frames: truth } = await readFrames({ input: pan, graph: SKETCH, width, height, pixFmt: 'rgb24' });
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
    const [out, src] = [await flicker(outputPath), await flicker(join(root, 'pan.mp4'))];
    console.log(`sketch flicker: output ${out.toFixed(2)}, source ${src.toFixed(2)}`);
    expect(out).toBeLessThan(src * 1.5);
  });
});
