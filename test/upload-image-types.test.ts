/**
 * AVIF and HEIC are images, for uploads and hosted engines alike: one sniffer decides.
 * Before, uploads took an AVIF `input_image` for the image it is while the hosted
 * engines' own sniffer took its ISO-BMFF box for a video: fal got it as
 * `input-image.mp4` and Luma was told `video/mp4`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../src/api/testing.ts';
import { startFalStandin, type FalStandin } from './support/fal-standin.ts';
import { startLumaStandin, type LumaStandin } from './support/luma-standin.ts';
import { MEDIA_DIR } from './support/media-server.ts';
import { eventually } from './support/server-process.ts';

const MODEL = 'luma-ray-v3-2-video-to-video';
let fal: FalStandin;
let luma: LumaStandin;
let viaFal: Harness;
let viaLuma: Harness;
let dir: string;
let avif: Buffer;
let clip: Buffer;

/** The head of a HEIC still (an `ftyp` box with the `heic` brand), then filler. */
const HEIC = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1'), Buffer.alloc(2048, 5)]);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'retake-image-types-'));
  // A real AVIF still, encoded by FFmpeg's AV1 encoder.
  await promisify(execFile)('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=160x90', '-frames:v', '1', '-c:v', 'libaom-av1', '-still-picture', '1', '-y', join(dir, 'guide.avif')]);
  [avif, clip, fal, luma] = await Promise.all([readFile(join(dir, 'guide.avif')), readFile(join(MEDIA_DIR, 'flower.mp4')), startFalStandin(), startLumaStandin()]);
  fal.script.queuedPolls = 0;
  fal.script.progressPolls = 0;
  luma.script.queuedPolls = 0;
  luma.script.processingPolls = 0;
  [viaFal, viaLuma] = await Promise.all([
    startHarness({ listen: true, role: 'all', config: { falKey: fal.key, falQueueUrl: fal.url, falStorageUrl: fal.storageUrl, maxAttempts: 1 } }),
    startHarness({ listen: true, role: 'all', config: { lumaApiKey: luma.key, lumaApiUrl: luma.url, maxAttempts: 1 } }),
  ]);
});
afterAll(async () => {
  await Promise.all([viaFal?.close(), viaLuma?.close()]);
  await Promise.all([fal?.close(), luma?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function upload(h: Harness, bytes: Buffer, name: string): Promise<{ url: string; content_type: string }> {
  const form = new FormData();
  // Declared as a video on purpose: the stored type comes from the bytes.
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'video/mp4' }), name);
  const res = await fetch(`${h.baseUrl}/api/files`, { method: 'POST', headers: h.auth, body: form });
  expect(res.status).toBe(201);
  return (await res.json()) as { url: string; content_type: string };
}

/** Run the hosted model on the clip with `image` as its guide; the finished row. */
async function runGuided(h: Harness, image: string): Promise<Record<string, unknown>> {
  const video = await upload(h, clip, 'clip.mp4');
  const queued = await fetch(`${h.baseUrl}/api/ai/queue`, {
    method: 'POST', headers: { ...h.auth, 'content-type': 'application/json' },
    body: JSON.stringify({ model: MODEL, prompt: 'pencil sketch', input_video: video.url, input_image: image, resolution: '720p' }),
  });
  expect(queued.status).toBe(200);
  const id = ((await queued.json()) as { generations: { generation_id: string }[] }).generations[0]!.generation_id;
  return eventually(async () => {
    const row = (await (await fetch(`${h.baseUrl}/api/ai/queue/${id}`, { headers: h.auth })).json()) as Record<string, unknown>;
    return ['succeeded', 'failed', 'cancelled'].includes(row.status as string) ? row : undefined;
  }, 30_000, 50);
}

describe('AVIF and HEIC are images', () => {
  it('uploads store them as images, whatever the client declared', async () => {
    expect(await upload(viaFal, avif, 'guide.avif')).toMatchObject({ content_type: 'image/avif' });
    expect(await upload(viaFal, HEIC, 'guide.heic')).toMatchObject({ content_type: 'image/heic' });
  });

  it('fal gets an AVIF guide image as input-image.avif, typed image/avif', async () => {
    const image = await upload(viaFal, avif, 'guide.avif');
    expect(await runGuided(viaFal, image.url)).toMatchObject({ status: 'succeeded' });
    const sent = fal.uploads.find((u) => u.fileName.startsWith('input-image'));
    expect(sent).toMatchObject({ fileName: 'input-image.avif', contentType: 'image/avif' });
    expect(sent!.bytes.equals(avif)).toBe(true);
  });

  it('Luma is told an AVIF guide image is image/avif', async () => {
    const image = await upload(viaLuma, avif, 'guide.avif');
    expect(await runGuided(viaLuma, image.url)).toMatchObject({ status: 'succeeded' });
    const body = JSON.stringify(luma.creations.at(-1)!.body);
    expect(body).toContain('"media_type":"image/avif"');
  });
});
