/**
 * A guided request over HTTP beside a panning shot, for the tests of what guided mode
 * carries through motion (a restyle's canvas, a sketch's strokes): a 3 s pan (a 640×360
 * window moving right and down across the fixture photo), frame 0 of it restyled by the
 * caller, sent to a served retake through the hub's sync call.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { serveDirectory, startHarness } from '../../src/api/testing.ts';

const run = promisify(execFile);
const media = fileURLToPath(new URL('../fixtures/media/', import.meta.url));

export interface PanRun {
  /** The working folder: `pan.mp4`, frame 0 as `frame0.png`, the restyle, `output.mp4`. */
  root: string;
  pan: string;
  outputPath: string;
  /** The generation's interpretation, as the API returns it. */
  interpretation: any;
  close(): Promise<void>;
}

/**
 * Makes the pan, lets `restyle` write the restyled frame 0 (given frame 0's path and the
 * folder; it returns the restyle's file name in the folder), and runs the guided request.
 */
export async function guidedOverPan(name: string, prompt: string, restyle: (frame0: string, root: string) => Promise<string>): Promise<PanRun> {
  const root = await mkdtemp(join(tmpdir(), `retake-guided-${name}-`));
  const pan = join(root, 'pan.mp4');
  await run('ffmpeg', ['-v', 'error', '-loop', '1', '-framerate', '30', '-i', join(media, 'london.jpg'), '-t', '3',
    '-vf', "crop=640:360:x='40+t*60':y='200+t*20',format=yuv420p", '-c:v', 'libx264', '-crf', '16', '-preset', 'veryfast', '-y', pan]);
  const frame0 = join(root, 'frame0.png');
  await run('ffmpeg', ['-v', 'error', '-i', pan, '-frames:v', '1', '-y', frame0]);
  const image = await restyle(frame0, root);

  const h = await startHarness({ listen: true, role: 'all', config: { maxAttempts: 1 } });
  const served = await serveDirectory(root);
  const api = async (method: string, path: string, body?: unknown): Promise<any> => {
    const res = await fetch(`${h.baseUrl}${path}`, {
      method, headers: { ...h.auth, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : null,
    });
    return res.json();
  };
  const res = await api('POST', '/api/ai/videos/generate', {
    model: 'retake-local', prompt, input_video: `${served.url}/pan.mp4`, input_image: `${served.url}/${image}`,
  });
  expect(res.videos?.[0]?.url, JSON.stringify(res)).toBeDefined();
  const interpretation = (await api('GET', `/api/ai/generations/${res.generation_id}`)).generation.interpretation;
  const outputPath = join(root, 'output.mp4');
  await writeFile(outputPath, Buffer.from(await (await fetch(res.videos[0].url)).arrayBuffer()));
  return {
    root, pan, outputPath, interpretation,
    async close() {
      await h.close();
      await served.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
