import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../testing.ts';

let h: Harness;
beforeAll(async () => {
  // No hosted key is configured here: an estimate still prices the hosted model.
  h = await startHarness();
});
afterAll(async () => h.close());

const estimate = (payload: object, secret = h.secret) =>
  h.app.inject({ method: 'POST', url: '/api/ai/estimate', headers: { authorization: `Bearer ${secret}` }, payload });
const video = 'https://example.com/clip.mp4';

describe('POST /api/ai/estimate', () => {
  it("prices the hosted model from fal's table, with defaults applied", async () => {
    const res = await estimate({ model: 'luma-ray-v3-2-video-to-video', prompt: 'noir', input_video: video, resolution: '1080p', duration: '10s', num_generations: 2 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      model: 'luma-ray-v3-2-video-to-video', num_generations: 2, unit_cost: 4.32, total_cost: 8.64, currency: 'USD',
      request: { prompt: 'noir', resolution: '1080p', duration: '10s', hdr: false, exr_export: false },
    });
  });

  it('warns, without refusing, that the hosted model needs a key to run', async () => {
    const res = await estimate({ model: 'luma-ray-v3-2-video-to-video', prompt: 'noir', input_video: video });
    expect(res.statusCode).toBe(200);
    expect(res.json().unit_cost).toBe(0.72);
    expect(res.json().warnings.join(' ')).toMatch(/FAL_KEY.*LUMA_API_KEY/);
    const run = await h.app.inject({ method: 'POST', url: '/api/ai/queue', headers: h.auth, payload: { model: 'luma-ray-v3-2-video-to-video', prompt: 'noir', input_video: video } });
    expect(run.statusCode).toBe(503);
    expect(run.json().error.type).toBe('provider_not_configured');
    expect(run.json().error.detail).toMatch(/FAL_KEY/);
  });

  it('shows what retake-local will understand of the prompt, as a run would record it', async () => {
    const res = await estimate({ model: 'retake-local', prompt: 'a hand-painted watercolor animation with soft pastel colors', input_video: video });
    expect(res.statusCode).toBe(200);
    const { interpretation } = res.json();
    expect(interpretation).toMatchObject({ engine: 'retake-local', style: 'watercolor', palette: 'pastel', modifiers: ['soft'], edit_strength: 'flex_2' });
    expect(interpretation.ignored_words).not.toContain('watercolor');
    expect(interpretation.runner_up.style).not.toBe('watercolor');
    expect(interpretation.confidence).toBeGreaterThan(0.5);
    // A prompt in a user's own words is read by its meaning.
    const noir = await estimate({ model: 'retake-local', prompt: 'Humphrey Bogart in a trench coat, rain on the window', input_video: video });
    expect(noir.json().interpretation).toMatchObject({ style: 'noir' });
    // The hosted model's engine reads prompts itself: no interpretation to show.
    const hosted = await estimate({ model: 'luma-ray-v3-2-video-to-video', prompt: 'noir', input_video: video });
    expect(hosted.json().interpretation).toBeUndefined();
  });

  it('queues nothing', async () => {
    await estimate({ model: 'retake-local', prompt: 'noir', input_video: video });
    const list = await h.app.inject({ method: 'GET', url: '/api/ai/queue', headers: h.auth });
    expect(list.json().count).toBe(0);
  });

  it('reports the same errors a real request would', async () => {
    const bad = await estimate({ model: 'retake-local', prompt: '', input_video: video, hdr: true });
    expect(bad.statusCode).toBe(422);
    expect((bad.json().error.fields as { field: string }[]).map((f) => f.field).sort()).toEqual(['prompt', 'resolution']);
    const unknown = await estimate({ model: 'nope', prompt: 'noir', input_video: video });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.detail).toBe('Model not found: nope');
    const plain = await h.retake.keys.create({ name: 'no-hdr', hdrAccess: false });
    const hdr = await estimate({ model: 'retake-local', prompt: 'noir', input_video: video, resolution: '720p', hdr: true }, plain.secret);
    expect(hdr.statusCode).toBe(403);
    expect(hdr.json().error.type).toBe('hdr_access_required');
  });

  it('refuses a price over the key\'s budget with 402', async () => {
    const capped = await h.retake.keys.create({ name: 'capped', budgetUsd: 1 });
    const res = await estimate({ model: 'luma-ray-v3-2-video-to-video', prompt: 'noir', input_video: video, resolution: '720p' }, capped.secret);
    expect(res.statusCode).toBe(402);
    expect(res.json().error.type).toBe('budget_exceeded');
  });
});
