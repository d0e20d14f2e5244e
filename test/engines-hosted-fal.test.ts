/**
 * The fal engine against a stand-in that speaks fal's queue and storage protocols:
 * request fields, uploads instead of private URLs, progress, retries that honour
 * Retry-After and back off on 5xx, failures that stop at once, resume from a checkpoint,
 * and a cancel that reaches fal.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHostedEngine } from '../src/engines/hosted/index.ts';
import type { Engine } from '../src/engines/types.ts';
import { RetakeError } from '../src/errors/index.ts';
import { ABORT_REASONS } from '../src/engines/types.ts';
import { PUBLIC_IMAGE, PUBLIC_URL, PUBLIC_VIDEO, testJob } from './support/engine-job.ts';
import { OUTPUT_EXR, OUTPUT_VIDEO, startFalStandin, type FalStandin } from './support/fal-standin.ts';
import { MEDIA_DIR, startMediaServer, type MediaServer } from './support/media-server.ts';

let fal: FalStandin;
let media: MediaServer;
let engine: Engine;

beforeAll(async () => {
  media = await startMediaServer();
});
afterAll(async () => {
  await media.close();
});
beforeEach(async () => {
  fal = await startFalStandin();
  engine = createHostedEngine({
    falKey: fal.key, falQueueUrl: fal.url, falStorageUrl: fal.storageUrl, publicUrl: PUBLIC_URL,
    pollMs: 5, retry: { baseDelayMs: 5 }, download: { baseDelayMs: 5 },
  });
});
afterEach(async () => {
  await fal.close();
});

const caught = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as RetakeError);

describe('fal engine: what fal receives', () => {
  it('sends every request field under fal\'s name and value, a public URL as it is', async () => {
    const { job } = await testJob({
      input_video: PUBLIC_VIDEO, input_image: PUBLIC_IMAGE, resolution: '1080p', duration: '10s',
      edit_strength: 'reimagine_2', hdr: true, exr_export: true, prompt: 'oil painting, golden hour',
    });
    await engine.render(job);
    expect(engine.id).toBe('fal');
    expect(fal.submissions).toHaveLength(1);
    expect(fal.submissions[0]!.body).toEqual({
      prompt: 'oil painting, golden hour', video_url: PUBLIC_VIDEO, start_image_url: PUBLIC_IMAGE,
      resolution: '1080p', duration: '10s', edit_strength: 'reimagine_2', hdr: true, exr_export: true,
    });
    expect(fal.uploads).toEqual([]);
  });

  it('maps auto_controls and leaves out what the user did not set', async () => {
    const { job } = await testJob({ input_video: PUBLIC_VIDEO, auto_controls: true });
    await engine.render(job);
    expect(fal.submissions[0]!.body).toEqual({
      prompt: 'watercolor, soft pastel', video_url: PUBLIC_VIDEO, resolution: '540p', duration: '5s',
      auto_controls: true, hdr: false, exr_export: false,
    });
  });

  it('uploads a retake upload and a loopback URL to fal storage instead of sending them', async () => {
    const own = `${PUBLIC_URL}/files/uploads/abc123/london.jpg`;
    const { job, fetched } = await testJob({ input_video: media.url('flower.mp4'), input_image: own });
    await engine.render(job);
    expect(fetched).toEqual([media.url('flower.mp4'), own]);
    expect(fal.uploads.map((u) => [u.fileName, u.contentType])).toEqual([
      ['input-video.mp4', 'video/mp4'], ['input-image.jpg', 'image/jpeg'],
    ]);
    expect(fal.uploads[0]!.bytes.equals(await readFile(join(MEDIA_DIR, 'flower.mp4')))).toBe(true);
    const body = fal.submissions[0]!.body;
    expect(body.video_url).toMatch(new RegExp(`^${fal.url}/files/.+/input-video\\.mp4$`));
    expect(body.start_image_url).toMatch(/\/input-image\.jpg$/);
    expect(JSON.stringify(body)).not.toContain('127.0.0.1:' + new URL(media.url('x')).port);
    expect(JSON.stringify(body)).not.toContain('retake.test');
  });
});

describe('fal engine: following the request', () => {
  it('checkpoints the request id first, reports queue position then rendering, and keeps both outputs', async () => {
    fal.script.queuedPolls = 3;
    const { job, progress, checkpoint } = await testJob({ input_video: PUBLIC_VIDEO, hdr: true, exr_export: true, resolution: '720p' });
    const result = await engine.render(job);
    expect(checkpoint.value).toMatchObject({ provider: 'fal', request_id: fal.submissions[0]!.id });
    const firstStatus = fal.calls.find((c) => c.route === 'status')!.at;
    expect(checkpoint.setAt[0]).toBeLessThanOrEqual(firstStatus);
    const stages = progress.map((p) => p.stage);
    expect(stages).toContain('queued (2 ahead)');
    expect(stages.indexOf('rendering')).toBeGreaterThan(stages.indexOf('queued (2 ahead)'));
    expect(stages.at(-1)).toBe('downloading');
    expect(result.outputs.map((o) => [o.kind, o.contentType])).toEqual([['video', 'video/mp4'], ['exr', 'application/zip']]);
    expect((await readFile(result.outputs[0]!.path)).equals(OUTPUT_VIDEO)).toBe(true);
    expect((await readFile(result.outputs[1]!.path)).equals(OUTPUT_EXR)).toBe(true);
    expect(result.interpretation).toEqual({ engine: 'fal', provider_request_id: fal.submissions[0]!.id });
  });

  it('waits for Retry-After on a 429 and submits once', async () => {
    fal.fail('submit', 1, 429, { 'retry-after': '1' }, { detail: 'Too many requests' });
    const { job } = await testJob({ input_video: PUBLIC_VIDEO });
    await engine.render(job);
    const submits = fal.calls.filter((c) => c.route === 'submit');
    expect(submits.map((c) => c.status)).toEqual([429, 200]);
    expect(submits[1]!.at - submits[0]!.at).toBeGreaterThanOrEqual(950);
    expect(fal.submissions).toHaveLength(1);
  });

  it('rides out a 503 on the status and a result fetch that fails once after COMPLETED', async () => {
    fal.fail('status', 1, 503);
    fal.fail('result', 1, 502);
    const { job } = await testJob({ input_video: PUBLIC_VIDEO });
    const result = await engine.render(job);
    expect(result.outputs).toHaveLength(1);
    expect(fal.calls.filter((c) => c.route === 'result').map((c) => c.status)).toEqual([502, 200]);
    expect(fal.submissions).toHaveLength(1);
  });

  it('retries an output download on its own', async () => {
    fal.fail('output', 2, 503);
    const { job } = await testJob({ input_video: PUBLIC_VIDEO });
    const result = await engine.render(job);
    expect((await readFile(result.outputs[0]!.path)).equals(OUTPUT_VIDEO)).toBe(true);
    expect(fal.calls.filter((c) => c.route === 'result')).toHaveLength(1);
  });

  it('resumes a checkpointed request without submitting again', async () => {
    const first = await testJob({ input_video: PUBLIC_VIDEO });
    fal.script.hold = true;
    const run = engine.render(first.job);
    while (!fal.calls.some((c) => c.route === 'status')) await new Promise((r) => setTimeout(r, 5));
    first.controller.abort(ABORT_REASONS.shutdown);
    await caught(run);
    expect(fal.submissions[0]!.cancelled).toBe(false);

    fal.script.hold = false;
    const second = await testJob({ input_video: PUBLIC_VIDEO }, first.checkpoint.value);
    const result = await engine.render(second.job);
    expect(result.outputs).toHaveLength(1);
    expect(fal.submissions).toHaveLength(1);
  });
});

describe('fal engine: failures and cancel', () => {
  it('fails a moderated request at once with fal\'s reason and no retry', async () => {
    fal.script.outcome = 'moderated';
    const { job } = await testJob({ input_video: PUBLIC_VIDEO });
    const err = await caught(engine.render(job));
    expect(err).toBeInstanceOf(RetakeError);
    expect(err!.code).toBe('content_moderated');
    expect(err!.detail).toContain('flagged by the content checker');
    expect(fal.calls.filter((c) => c.route === 'result')).toHaveLength(1);
    expect(fal.submissions).toHaveLength(1);
  });

  it('fails at once on a refused key, naming fal and the status', async () => {
    const wrong = createHostedEngine({ falKey: 'wrong', falQueueUrl: fal.url, falStorageUrl: fal.storageUrl, publicUrl: PUBLIC_URL, retry: { baseDelayMs: 5 } });
    const { job } = await testJob({ input_video: PUBLIC_VIDEO });
    const err = await caught(wrong.render(job));
    expect(err!.code).toBe('provider_rejected');
    expect(err!.detail).toMatch(/fal refused the operator's API key \(401\): Invalid API key/);
    expect(fal.calls.filter((c) => c.route === 'submit')).toHaveLength(1);
  });

  it.each([[400, 'provider_rejected'], [402, 'provider_rejected'], [413, 'input_too_large'], [422, 'provider_rejected']])(
    'does not retry a %i on submit', async (status, code) => {
      fal.fail('submit', 1, status, {}, { detail: 'video_url: unsupported container' });
      const { job } = await testJob({ input_video: PUBLIC_VIDEO });
      const err = await caught(engine.render(job));
      expect(err!.code).toBe(code);
      expect(err!.detail).toContain('unsupported container');
      expect(fal.calls.filter((c) => c.route === 'submit')).toHaveLength(1);
    },
  );

  it('sends a user cancel to fal, but not a shutdown', async () => {
    fal.script.hold = true;
    const { job, controller } = await testJob({ input_video: PUBLIC_VIDEO });
    const run = engine.render(job);
    while (!fal.calls.some((c) => c.route === 'status')) await new Promise((r) => setTimeout(r, 5));
    controller.abort(ABORT_REASONS.cancelled);
    await caught(run);
    expect(fal.calls.filter((c) => c.route === 'cancel')).toHaveLength(1);
    expect(fal.submissions[0]!.cancelled).toBe(true);
  });
});
