/**
 * The `keyframes` and `controls` fields as a client meets them: shown in each model's
 * schema, and every mistake refused with its own 422 before anything is queued (a
 * frame past the end of the source is found by probing the source at submit).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHostedEngine } from '../engines/hosted/index.ts';
import { serveDirectory, startHarness, type Harness } from './testing.ts';

const MEDIA = new URL('../../test/fixtures/media/', import.meta.url).pathname;

let h: Harness;
let media: { url: string; close(): Promise<void> };
beforeAll(async () => {
  media = await serveDirectory(MEDIA);
  // fal configured (never reached: these requests are all refused or only queued).
  h = await startHarness({ engines: { hosted: createHostedEngine({ falKey: 'k', falQueueUrl: 'http://127.0.0.1:9' }) } });
});
afterAll(async () => {
  await h.close();
  await media.close();
});

const image = 'https://example.com/restyled.png';
const queue = (body: Record<string, unknown>) => h.app.inject({ method: 'POST', url: '/api/ai/queue', headers: h.auth, payload: body });
const local = (extra: Record<string, unknown>) => ({ model: 'retake-local', prompt: 'watercolor', input_video: `${media.url}/flower.mp4`, ...extra });

async function queued(): Promise<number> {
  return (await h.app.inject({ method: 'GET', url: '/api/ai/queue', headers: h.auth })).json<{ generations?: unknown[] }>().generations?.length ?? 0;
}

describe('keyframes in the model schemas', () => {
  it('shows keyframes on every model, controls on the hosted model only', async () => {
    const models = (await h.app.inject({ method: 'GET', url: '/api/ai/models' })).json().data as { id: string; json_request_schema: { properties: Record<string, { maxItems?: number }>; 'x-order': string[] } }[];
    for (const m of models) {
      expect(m.json_request_schema.properties.keyframes?.maxItems, m.id).toBe(64);
      expect(m.json_request_schema['x-order']).toContain('keyframes');
    }
    const byId = new Map(models.map((m) => [m.id, m.json_request_schema]));
    expect(byId.get('luma-ray-v3-2-video-to-video')!.properties.controls).toBeDefined();
    expect(byId.get('retake-local')!.properties.controls).toBeUndefined();
    expect(byId.get('retake-local')!['x-order']).not.toContain('controls');
  });

  it('lets a hub client see, from the schema alone, that keyframes exclude input_image', async () => {
    const schema = (await h.app.inject({ method: 'GET', url: '/api/ai/models/retake-local' })).json().json_request_schema as object;
    const validate = new Ajv2020({ strict: false, validateFormats: false }).compile(schema);
    const body = { prompt: 'p', input_video: 'https://example.com/a.mp4', keyframes: [{ image, frame: 12 }] };
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...body, input_image: image })).toBe(false);
  });
});

describe('keyframes refused before anything is queued', () => {
  it.each([
    ['invalid_keyframes', { keyframes: [{ image, at: 3 }] }],
    ['invalid_keyframes', { keyframes: [{ image, frame: 3 }], input_image: image }],
    ['duplicate_keyframe_frames', { keyframes: [{ image, frame: 3 }, { image, frame: 3 }] }],
    ['keyframe_past_end', { keyframes: [{ image, frame: 0 }, { image, frame: 150 }] }],
    ['controls_not_supported', { controls: { face: { enabled: true } } }],
  ])('%s', async (code, extra) => {
    const before = await queued();
    const res = await queue(local(extra));
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error.type).toBe(code);
    expect(res.json().error.fields[0].field).toBe(Object.keys(extra)[0]);
    expect(await queued()).toBe(before);
  });

  it('names the last frame the source has, counted from its own frames', async () => {
    const res = await queue(local({ keyframes: [{ image, frame: 149 }, { image, frame: 400 }] }));
    expect(res.json().error.detail).toMatch(/keyframes\[1\] is at frame 400, but the source has frames 0 to 149 \(5\.0\d s at 29\.97 fps\)/);
    const ok = await queue(local({ keyframes: [{ image, frame: 0 }, { image, frame: 149 }] }));
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('checks an uploaded source the same way, and says so in an estimate', async () => {
    const boundary = '----kf';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="flower.mp4"\r\nContent-Type: video/mp4\r\n\r\n`),
      await readFile(join(MEDIA, 'flower.mp4')),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const up = await h.app.inject({ method: 'POST', url: '/api/files', headers: { ...h.auth, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
    const url = up.json<{ url: string }>().url;
    const est = await h.app.inject({ method: 'POST', url: '/api/ai/estimate', headers: h.auth, payload: local({ input_video: url, keyframes: [{ image, frame: 200 }] }) });
    expect(est.statusCode).toBe(422);
    expect(est.json().error.type).toBe('keyframe_past_end');
  });

  it('refuses more than one keyframe on the fal route, naming the Luma route', async () => {
    const res = await queue({ ...local({ keyframes: [{ image, frame: 0 }, { image, frame: 90 }] }), model: 'luma-ray-v3-2-video-to-video' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.type).toBe('keyframes_not_supported');
    expect(res.json().error.detail).toMatch(/Luma's Agents API/);
    const controls = await queue({ ...local({ controls: { pose: { strength: 'coarse' } } }), model: 'luma-ray-v3-2-video-to-video' });
    expect(controls.json().error.type).toBe('controls_not_supported');
    const single = await queue({ ...local({ keyframes: [{ image, frame: 0 }] }), model: 'luma-ray-v3-2-video-to-video' });
    expect(single.statusCode, single.body).toBe(200);
  });
});
