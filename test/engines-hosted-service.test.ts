/**
 * The hosted model through the whole service, engines built from configuration as in
 * production: with both keys set fal is used; the price shown by /api/ai/estimate is the
 * cost recorded; the outputs are retake's own files, still served after the provider's
 * URL has gone; without a key the model answers at once naming the variables.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../src/api/testing.ts';
import { OUTPUT_VIDEO, startFalStandin, type FalStandin } from './support/fal-standin.ts';
import { startLumaStandin, type LumaStandin } from './support/luma-standin.ts';
import { startMediaServer, type MediaServer } from './support/media-server.ts';
import { eventually } from './support/server-process.ts';

const MODEL = 'luma-ray-v3-2-video-to-video';
let fal: FalStandin;
let luma: LumaStandin;
let media: MediaServer;
let h: Harness;

beforeAll(async () => {
  [fal, luma, media] = await Promise.all([startFalStandin(), startLumaStandin(), startMediaServer()]);
  h = await startHarness({
    role: 'all',
    config: {
      falKey: fal.key, falQueueUrl: fal.url, falStorageUrl: fal.storageUrl,
      lumaApiKey: luma.key, lumaApiUrl: luma.url,
    },
  });
});
afterAll(async () => {
  await h.close();
  await Promise.all([fal.close(), luma.close(), media.close()]);
});

describe('hosted model in the service', () => {
  it('runs through fal when both keys are set, charges the estimated price, and serves its own copy', async () => {
    // Completed at the first status poll, so the default poll interval costs nothing here.
    fal.script.queuedPolls = 0;
    fal.script.progressPolls = 0;
    fal.script.vanishOutputs = true;
    const request = { model: MODEL, prompt: 'pencil sketch', input_video: media.url('flower.mp4'), resolution: '720p' };

    const estimate = await h.app.inject({ method: 'POST', url: '/api/ai/estimate', headers: h.auth, payload: request });
    expect(estimate.json()).toMatchObject({ unit_cost: 1.08, warnings: [] });

    const queued = await h.app.inject({ method: 'POST', url: '/api/ai/queue', headers: h.auth, payload: request });
    expect(queued.statusCode).toBe(200);
    const id: string = queued.json().generations[0].generation_id;
    const row = await eventually(async () => {
      const r = (await h.app.inject({ method: 'GET', url: `/api/ai/queue/${id}`, headers: h.auth })).json();
      return ['succeeded', 'failed', 'cancelled'].includes(r.status) ? r : undefined;
    }, 20_000, 50);

    expect(row).toMatchObject({ status: 'succeeded', cost: 1.08, error_message: null });
    expect(JSON.stringify(row)).not.toContain('engine_state');
    expect(fal.submissions).toHaveLength(1);
    expect(fal.uploads.map((u) => u.fileName)).toEqual(['input-video.mp4']);
    expect(luma.calls).toHaveLength(0);

    // The provider's URL is gone after retake's one download; retake's URL still serves.
    const providerUrl = `${fal.url}/outputs/${fal.submissions[0]!.id}/video.mp4`;
    expect((await fetch(providerUrl)).status).toBe(404);
    expect(row.result_url.startsWith(h.baseUrl)).toBe(true);
    const served = await h.app.inject({ method: 'GET', url: new URL(row.result_url).pathname, headers: h.auth });
    expect(served.statusCode).toBe(200);
    expect(served.rawPayload.equals(OUTPUT_VIDEO)).toBe(true);
  });
});

describe('hosted model without a key', () => {
  it('answers the sync endpoint at once, naming both variables', async () => {
    const bare = await startHarness({ role: 'all' });
    try {
      const started = Date.now();
      const res = await bare.app.inject({
        method: 'POST', url: '/api/ai/videos/generate', headers: bare.auth,
        payload: { model: MODEL, prompt: 'noir', input_video: media.url('flower.mp4') },
      });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.type).toBe('provider_not_configured');
      expect(res.json().error.detail).toMatch(/FAL_KEY.*LUMA_API_KEY/);
      expect(Date.now() - started).toBeLessThan(2000);
      const list = await bare.app.inject({ method: 'GET', url: '/api/ai/queue', headers: bare.auth });
      expect(list.json().count).toBe(0);
    } finally {
      await bare.close();
    }
  });
});
