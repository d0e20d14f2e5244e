/**
 * The Luma engine against a stand-in that speaks the Agents API and is strict to the
 * request types of Luma's SDK: the generation body (model, type, source with its media
 * type, video options, strength / auto-controls / controls, start frame, keyframes),
 * inline bytes instead of private URLs, retries, failure codes, resume and cancel.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHostedEngine } from '../src/engines/hosted/index.ts';
import type { Engine } from '../src/engines/types.ts';
import type { RetakeError } from '../src/errors/index.ts';
import { ABORT_REASONS } from '../src/engines/types.ts';
import { PUBLIC_IMAGE, PUBLIC_URL, PUBLIC_VIDEO, testJob } from './support/engine-job.ts';
import { OUTPUT_EXR, OUTPUT_VIDEO } from './support/fal-standin.ts';
import { startLumaStandin, type LumaStandin } from './support/luma-standin.ts';
import { MEDIA_DIR, startMediaServer, type MediaServer } from './support/media-server.ts';

let luma: LumaStandin;
let media: MediaServer;
let engine: Engine;

beforeAll(async () => {
  media = await startMediaServer();
});
afterAll(async () => {
  await media.close();
});
beforeEach(async () => {
  luma = await startLumaStandin();
  engine = createHostedEngine({
    lumaApiKey: luma.key, lumaApiUrl: luma.url, publicUrl: PUBLIC_URL,
    pollMs: 5, retry: { baseDelayMs: 5 }, download: { baseDelayMs: 5 },
  });
});
afterEach(async () => {
  await luma.close();
});

const caught = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as RetakeError);

describe('Luma engine: what Luma receives', () => {
  it('sends a ray-3.2 video_edit with every field, strength under video.edit, the image as video.start_frame', async () => {
    const { job } = await testJob({
      input_video: PUBLIC_VIDEO, input_image: PUBLIC_IMAGE, resolution: '720p', duration: '10s',
      edit_strength: 'adhere_3', hdr: true, exr_export: false, prompt: 'film noir',
    });
    await engine.render(job);
    expect(engine.id).toBe('luma');
    expect(luma.creations[0]!.body).toEqual({
      model: 'ray-3.2', type: 'video_edit', prompt: 'film noir',
      source: { url: PUBLIC_VIDEO, media_type: 'video/mp4' },
      video: {
        resolution: '720p', duration: '10s', hdr: true, exr_export: false,
        start_frame: { url: PUBLIC_IMAGE },
        edit: { strength: 'adhere_3' },
      },
    });
    expect(luma.refusals).toEqual([]);
  });

  it('maps auto_controls to video.edit.auto_controls, and neither control to the model default', async () => {
    const auto = await testJob({ input_video: PUBLIC_VIDEO, auto_controls: true });
    await engine.render(auto.job);
    expect((luma.creations[0]!.body.video as Record<string, unknown>).edit).toEqual({ auto_controls: true });
    const plain = await testJob({ input_video: PUBLIC_VIDEO });
    await engine.render(plain.job);
    expect(luma.creations[1]!.body.video).toEqual({ resolution: '540p', duration: '5s', hdr: false, exr_export: false });
  });

  it('sends a loopback source and a retake upload inline as base64, never as URLs', async () => {
    const own = `${PUBLIC_URL}/files/uploads/u1/london.jpg`;
    const { job } = await testJob({ input_video: media.url('flower.mp4'), input_image: own });
    await engine.render(job);
    const body = luma.creations[0]!.body as { source: Record<string, string>; video: { start_frame: Record<string, string> } };
    expect(body.source.media_type).toBe('video/mp4');
    expect(Buffer.from(body.source.data!, 'base64').equals(await readFile(join(MEDIA_DIR, 'flower.mp4')))).toBe(true);
    expect(body.video.start_frame.media_type).toBe('image/jpeg');
    expect(Buffer.from(body.video.start_frame.data!, 'base64').equals(await readFile(join(MEDIA_DIR, 'london.jpg')))).toBe(true);
    expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|retake\.test/);
  });
});

describe('Luma engine: strict to the request types of Luma\'s SDK', () => {
  const create = (body: unknown) => fetch(`${luma.url}/generations`, {
    method: 'POST', headers: { authorization: `Bearer ${luma.key}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });

  it('refuses the body retake used to send (keyframes as {frame_index, image}, a source URL without media_type)', async () => {
    const res = await create({
      model: 'ray-3.2', type: 'video_edit', prompt: 'film noir', source: { url: PUBLIC_VIDEO },
      video: { resolution: '540p', duration: '5s', hdr: false, exr_export: false, edit: { keyframes: [{ frame_index: 0, image: { url: PUBLIC_IMAGE } }] } },
    });
    expect(res.status).toBe(422);
    const problems = luma.refusals[0]!.problems.join('\n');
    expect(problems).toMatch(/keyframes\/0 must NOT have additional properties \(frame_index\)/);
    expect(luma.creations).toHaveLength(0);
  });

  it('refuses what the SDK rules out: two references in one ImageRef, unparallel or repeated indexes, keyframes beside start_frame, unknown control values', async () => {
    const base = { model: 'ray-3.2', type: 'video_edit', prompt: 'p', source: { url: PUBLIC_VIDEO, media_type: 'video/mp4' } };
    const bad = [
      { ...base, source: { url: PUBLIC_VIDEO } },
      { ...base, video: { start_frame: { url: PUBLIC_IMAGE, data: 'AAAA', media_type: 'image/png' } } },
      { ...base, video: { start_frame: { data: 'AAAA' } } },
      { ...base, video: { edit: { keyframes: [{ url: PUBLIC_IMAGE }], keyframe_indexes: [1, 2] } } },
      { ...base, video: { edit: { keyframes: [{ url: PUBLIC_IMAGE }, { url: PUBLIC_IMAGE }], keyframe_indexes: [3, 3] } } },
      { ...base, video: { edit: { keyframes: [{ url: PUBLIC_IMAGE }], keyframe_indexes: [-1] } } },
      { ...base, video: { start_frame: { url: PUBLIC_IMAGE }, edit: { keyframes: [{ url: PUBLIC_IMAGE }], keyframe_indexes: [5] } } },
      { ...base, video: { edit: { keyframes: Array.from({ length: 65 }, () => ({ url: PUBLIC_IMAGE })), keyframe_indexes: Array.from({ length: 65 }, (_, i) => i) } } },
      { ...base, video: { edit: { controls: { pose: { strength: 'strong' } } } } },
      { ...base, video: { edit: { controls: { depth: { enabled: true, blur: 2 } } } } },
      { ...base, video: { edit: { controls: { style: { enabled: true } } } } },
      { ...base, video: { exr_export: true } },
    ];
    for (const body of bad) expect((await create(body)).status, JSON.stringify(body).slice(0, 200)).toBe(422);
    expect(luma.refusals).toHaveLength(bad.length);
    expect(luma.creations).toHaveLength(0);
  });

  it('turns one keyframe at frame 0 into video.start_frame, exactly as input_image', async () => {
    const { job } = await testJob({ input_video: PUBLIC_VIDEO, keyframes: [{ image: PUBLIC_IMAGE, frame: 0 }] });
    await engine.render(job);
    const same = await testJob({ input_video: PUBLIC_VIDEO, input_image: PUBLIC_IMAGE });
    await engine.render(same.job);
    expect(luma.creations[0]!.body).toEqual(luma.creations[1]!.body);
    expect((luma.creations[0]!.body.video as Record<string, unknown>).start_frame).toEqual({ url: PUBLIC_IMAGE });
  });

  it('sends one keyframe away from frame 0, and two (one private, inline), as video.edit.keyframes with their indexes', async () => {
    const one = await testJob({ input_video: PUBLIC_VIDEO, keyframes: [{ image: PUBLIC_IMAGE, frame: 48 }] });
    await engine.render(one.job);
    expect((luma.creations[0]!.body.video as Record<string, unknown>).edit).toEqual({ keyframes: [{ url: PUBLIC_IMAGE }], keyframe_indexes: [48] });
    const own = `${PUBLIC_URL}/files/uploads/u1/london.jpg`;
    const two = await testJob({ input_video: PUBLIC_VIDEO, edit_strength: 'flex_1', keyframes: [{ image: PUBLIC_IMAGE, frame: 0 }, { image: own, frame: 90 }] });
    await engine.render(two.job);
    const video = luma.creations[1]!.body.video as { start_frame?: unknown; edit: { strength: string; keyframes: Record<string, string>[]; keyframe_indexes: number[] } };
    expect(video.start_frame).toBeUndefined();
    expect(video.edit.strength).toBe('flex_1');
    expect(video.edit.keyframe_indexes).toEqual([0, 90]);
    expect(video.edit.keyframes[0]).toEqual({ url: PUBLIC_IMAGE });
    expect(video.edit.keyframes[1]!.media_type).toBe('image/jpeg');
    expect(Buffer.from(video.edit.keyframes[1]!.data!, 'base64').equals(await readFile(join(MEDIA_DIR, 'london.jpg')))).toBe(true);
    expect(luma.refusals).toEqual([]);
  });

  it('sends 64 keyframes, the most Luma takes, in order', async () => {
    const keyframes = Array.from({ length: 64 }, (_, i) => ({ image: `${PUBLIC_IMAGE}?k=${i}`, frame: i * 5 }));
    const { job } = await testJob({ input_video: PUBLIC_VIDEO, keyframes });
    await engine.render(job);
    const edit = (luma.creations[0]!.body.video as { edit: { keyframes: { url: string }[]; keyframe_indexes: number[] } }).edit;
    expect(edit.keyframes.map((k) => k.url)).toEqual(keyframes.map((k) => k.image));
    expect(edit.keyframe_indexes).toEqual(keyframes.map((k) => k.frame));
    expect(luma.refusals).toEqual([]);
  });

  it('passes controls through to video.edit.controls, signal by signal', async () => {
    const controls = {
      depth: { enabled: true, blur: 0.4 }, face: { enabled: false }, normals: { enabled: true, augmentation: 0.2 },
      pose: { strength: 'coarse' as const }, trajectory: { enabled: true, sparsity: 0.7 },
    };
    const { job } = await testJob({ input_video: media.url('flower.mp4'), edit_strength: 'reimagine_2', controls });
    await engine.render(job);
    expect((luma.creations[0]!.body.video as Record<string, unknown>).edit).toEqual({ strength: 'reimagine_2', controls });
    expect(luma.refusals).toEqual([]);
  });

  it('reports a refusal by Luma as provider_rejected with Luma\'s reasons', async () => {
    const { job } = await testJob({ input_video: PUBLIC_VIDEO, keyframes: [{ image: PUBLIC_IMAGE, frame: 3 }, { image: PUBLIC_IMAGE, frame: 3 }] });
    const err = await caught(engine.render(job));
    expect(err!.code).toBe('provider_rejected');
    expect(err!.detail).toContain('keyframe_indexes must be unique');
  });
});

describe('Luma engine: following the generation', () => {
  it('checkpoints the id, reports stages, and keeps the video and the EXR', async () => {
    const { job, progress, checkpoint } = await testJob({ input_video: PUBLIC_VIDEO, hdr: true, exr_export: true, resolution: '1080p' });
    const result = await engine.render(job);
    expect(checkpoint.value).toMatchObject({ provider: 'luma', generation_id: luma.creations[0]!.id });
    expect(progress.map((p) => p.stage)).toEqual(expect.arrayContaining(['uploading', 'queued', 'rendering', 'downloading']));
    expect(result.outputs.map((o) => [o.kind, o.contentType])).toEqual([['video', 'video/mp4'], ['exr', 'application/zip']]);
    expect((await readFile(result.outputs[0]!.path)).equals(OUTPUT_VIDEO)).toBe(true);
    expect((await readFile(result.outputs[1]!.path)).equals(OUTPUT_EXR)).toBe(true);
  });

  it('honours Retry-After on create and rides out a 503 on a poll, creating once', async () => {
    luma.fail('create', 1, 429, { 'retry-after': '1' });
    luma.fail('get', 1, 503);
    const { job } = await testJob({ input_video: PUBLIC_VIDEO });
    await engine.render(job);
    const creates = luma.calls.filter((c) => c.route === 'create');
    expect(creates.map((c) => c.status)).toEqual([429, 200]);
    expect(creates[1]!.at - creates[0]!.at).toBeGreaterThanOrEqual(950);
    expect(luma.calls.filter((c) => c.route === 'get').map((c) => c.status)).toContain(503);
    expect(luma.creations).toHaveLength(1);
  });

  it('resumes a checkpointed generation without creating another', async () => {
    const { job } = await testJob({ input_video: PUBLIC_VIDEO });
    await engine.render(job);
    const again = await testJob({ input_video: PUBLIC_VIDEO }, { provider: 'luma', generation_id: luma.creations[0]!.id });
    await engine.render(again.job);
    expect(luma.creations).toHaveLength(1);
  });

  it('refuses to follow a request another provider holds, instead of paying twice', async () => {
    const { job } = await testJob({ input_video: PUBLIC_VIDEO }, { provider: 'fal', request_id: 'r1' });
    const err = await caught(engine.render(job));
    expect(err!.code).toBe('render_failed');
    expect(luma.creations).toHaveLength(0);
  });
});

describe('Luma engine: failures and cancel', () => {
  it('fails a moderated generation at once with Luma\'s reason', async () => {
    luma.script.failureCode = 'content_moderated';
    const { job } = await testJob({ input_video: PUBLIC_VIDEO });
    const err = await caught(engine.render(job));
    expect(err!.code).toBe('content_moderated');
    expect(err!.detail).toContain('flagged by content moderation');
    expect(luma.creations).toHaveLength(1);
    expect(luma.calls.filter((c) => c.route === 'output')).toHaveLength(0);
  });

  it('fails at once on a refused key', async () => {
    const wrong = createHostedEngine({ lumaApiKey: 'nope', lumaApiUrl: luma.url, publicUrl: PUBLIC_URL, retry: { baseDelayMs: 5 } });
    const { job } = await testJob({ input_video: PUBLIC_VIDEO });
    const err = await caught(wrong.render(job));
    expect(err!.code).toBe('provider_rejected');
    expect(err!.detail).toContain('Luma refused the operator\'s API key (401): Invalid API key');
    expect(luma.calls).toHaveLength(1);
  });

  it('stops following on cancel (the Agents API has no cancel call)', async () => {
    luma.script.queuedPolls = 1_000_000;
    const { job, controller } = await testJob({ input_video: PUBLIC_VIDEO });
    const run = engine.render(job);
    while (!luma.calls.some((c) => c.route === 'get')) await new Promise((r) => setTimeout(r, 5));
    controller.abort(ABORT_REASONS.cancelled);
    await caught(run);
    const polls = luma.calls.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(luma.calls).toHaveLength(polls);
  });
});
