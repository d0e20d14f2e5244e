import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { RetakeError } from '../errors/index.ts';
import { cliFetchInput, sidecarPath, writeAtomically } from './local-job.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'retake-local-job-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('cliFetchInput', () => {
  it('copies a file: URL into the work dir, keeping the source extension', async () => {
    const source = join(dir, 'clip.mov');
    await writeFile(source, 'video bytes');
    const work = await mkdtemp(join(dir, 'work-'));
    const fetchInput = cliFetchInput(loadConfig({}, {}), work, new AbortController().signal);
    const path = await fetchInput(pathToFileURL(source).href, 'input_video');
    expect(path).toBe(join(work, 'input_video.mov'));
    expect(await readFile(path, 'utf8')).toBe('video bytes');
  });

  it('refuses a local file over the input size limit and a missing one', async () => {
    const source = join(dir, 'big.mp4');
    await writeFile(source, Buffer.alloc(2048));
    const fetchInput = cliFetchInput(loadConfig({ maxInputBytes: 1024 }, {}), dir, new AbortController().signal);
    await expect(fetchInput(pathToFileURL(source).href, 'in')).rejects.toMatchObject({ code: 'input_too_large' });
    await expect(fetchInput(pathToFileURL(join(dir, 'gone.mp4')).href, 'in')).rejects.toBeInstanceOf(RetakeError);
  });

  it('sends loopback URLs through the guard unless private URLs are allowed', async () => {
    const fetchInput = cliFetchInput(loadConfig({}, {}), dir, new AbortController().signal);
    await expect(fetchInput('http://127.0.0.1:9/video.mp4', 'in')).rejects.toMatchObject({ code: 'input_url_blocked' });
  });
});

describe('writeAtomically', () => {
  it('replaces the destination and leaves no temp file behind', async () => {
    const source = join(dir, 'render.mp4');
    const destination = join(dir, 'out.mp4');
    await writeFile(source, 'new');
    await writeFile(destination, 'old');
    await writeAtomically(source, destination);
    expect(await readFile(destination, 'utf8')).toBe('new');
    expect((await readdir(dir)).sort()).toEqual(['out.mp4', 'render.mp4']);
  });

  it('leaves nothing when the destination directory is missing', async () => {
    const source = join(dir, 'render.mp4');
    await writeFile(source, 'x');
    await expect(writeAtomically(source, join(dir, 'missing', 'out.mp4'))).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['render.mp4']);
  });
});

describe('sidecarPath', () => {
  it('puts the EXR zip beside the video under the same stem', () => {
    expect(sidecarPath('/out/clip.mp4', { kind: 'exr', path: '/work/frames.zip' })).toBe('/out/clip.exr.zip');
    expect(sidecarPath('/out/clip', { kind: 'exr', path: '/work/exr' })).toBe('/out/clip.exr.zip');
    expect(sidecarPath('/out/clip.mp4', { kind: 'video', path: '/work/alt.mp4' })).toBe('/out/clip-alt.mp4');
  });
});
