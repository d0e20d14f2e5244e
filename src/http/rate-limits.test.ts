/**
 * Per-key rate limits. Before them one key could submit and poll without bound (this
 * test failed: the 6th submit was a 200). Submits and reads have separate budgets,
 * each key its own, and in scale-out the counters sit in Redis.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../api/testing.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ config: { rateLimitSubmit: 5, rateLimitRead: 20 } });
});
afterAll(async () => h.close());

const estimate = (auth: Record<string, string>) => h.app.inject({
  method: 'POST', url: '/api/ai/estimate', headers: auth,
  payload: { model: 'retake-local', prompt: 'noir', input_video: 'https://example.com/a.mp4' },
});

describe('rate limits', () => {
  it('answers 429 with Retry-After past the submit budget, per key', async () => {
    for (let i = 0; i < 5; i++) expect((await estimate(h.auth)).statusCode).toBe(200);
    const over = await estimate(h.auth);
    expect(over.statusCode).toBe(429);
    expect(over.json().error.type).toBe('rate_limited');
    expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(over.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Reads have their own budget, and another key is not affected.
    expect((await h.app.inject({ method: 'GET', url: '/api/ai/queue', headers: h.auth })).statusCode).toBe(200);
    const other = await h.retake.keys.create({ name: 'other' });
    expect((await estimate({ authorization: `Bearer ${other.secret}` })).statusCode).toBe(200);
  });

  it('gives status lookups a larger budget of their own', async () => {
    const { secret } = await h.retake.keys.create({ name: 'poller' });
    const auth = { authorization: `Bearer ${secret}` };
    for (let i = 0; i < 20; i++) expect((await h.app.inject({ method: 'GET', url: '/api/ai/queue', headers: auth })).statusCode).toBe(200);
    const over = await h.app.inject({ method: 'GET', url: '/api/ai/queue', headers: auth });
    expect(over.statusCode).toBe(429);
    expect(over.headers['retry-after']).toBeDefined();
    // Public routes are not counted.
    expect((await h.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('keeps the counters in Redis in scale-out', async () => {
    const scaled = await startHarness({ config: { rateLimitSubmit: 3, rateLimitRead: 0, redisUrl: REDIS_URL } });
    const redis = new Redis(REDIS_URL);
    try {
      const auth = scaled.auth;
      const post = () => scaled.app.inject({
        method: 'POST', url: '/api/ai/estimate', headers: auth,
        payload: { model: 'retake-local', prompt: 'noir', input_video: 'https://example.com/a.mp4' },
      });
      for (let i = 0; i < 3; i++) expect((await post()).statusCode).toBe(200);
      expect((await post()).statusCode).toBe(429);
      expect(await redis.exists(`retake-rate:${scaled.key.id}:submit`)).toBe(1);
      // Reads are unlimited here (0), however many.
      for (let i = 0; i < 30; i++) expect((await scaled.app.inject({ method: 'GET', url: '/api/ai/queue', headers: auth })).statusCode).toBe(200);
    } finally {
      redis.disconnect();
      await scaled.close();
    }
  });
});
