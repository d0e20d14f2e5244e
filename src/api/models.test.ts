import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './testing.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

describe('model catalogue', () => {
  it('lists both models with their request schema', async () => {
    const body = (await h.app.inject({ method: 'GET', url: '/api/ai/models' })).json();
    expect(body.object).toBe('list');
    expect(body.data.map((m: { id: string }) => m.id).sort()).toEqual(['luma-ray-v3-2-video-to-video', 'retake-local']);
    const local = body.data.find((m: { id: string }) => m.id === 'retake-local');
    expect(local).toMatchObject({ object: 'model', model_type: 'video-to-video', endpoint: `${h.baseUrl}/api/ai/videos/generate` });
    expect(local.request_schema).toEqual(local.json_request_schema);
    expect(local.request_schema.required).toEqual(['prompt', 'input_video']);
  });

  it("accepts a hub client's whole body, model included, under its json_request_schema", async () => {
    const local = (await h.app.inject({ method: 'GET', url: '/api/ai/models/retake-local' })).json();
    // No formats: the uri check is the server's; this is about which properties are allowed.
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    const validate = ajv.compile(local.json_request_schema);
    expect(validate({ model: 'retake-local', prompt: 'noir', input_video: 'https://example.com/a.mp4' }), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ model: 'luma-ray-v3-2-video-to-video', prompt: 'noir', input_video: 'https://example.com/a.mp4' })).toBe(false);
    expect(validate({ prompt: 'noir', input_video: 'https://example.com/a.mp4', edit_strenght: 'flex_1' })).toBe(false);
  });

  it('searches by words of the name or description', async () => {
    const body = (await h.app.inject({ method: 'GET', url: '/api/ai/models/search?search=LUMA' })).json();
    expect(body.data.map((m: { id: string }) => m.id)).toEqual(['luma-ray-v3-2-video-to-video']);
    const none = (await h.app.inject({ method: 'GET', url: '/api/ai/models/search?search=text-to-speech' })).json();
    expect(none.data).toEqual([]);
  });

  it('answers an unknown model with the hub\'s 404 sentence', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/ai/models/sora-9' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ type: 'model_not_found', detail: 'Model not found: sora-9' });
  });
});
