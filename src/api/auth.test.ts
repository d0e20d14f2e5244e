import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './testing.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

describe('authentication', () => {
  it('refuses /api routes without a key, with the envelope', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/ai/queue' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { type: 'unauthorized', title: expect.any(String) }, status: 'error', status_message: 'unauthorized' });
  });

  it('refuses a wrong or malformed key', async () => {
    for (const authorization of ['Bearer rtk_nope', 'Basic abc', 'Bearer', h.secret]) {
      const res = await h.app.inject({ method: 'GET', url: '/api/ai/generations', headers: { authorization } });
      expect(res.statusCode, authorization).toBe(401);
    }
  });

  it('accepts a valid key and refuses it once revoked', async () => {
    const { secret } = await h.retake.keys.create({ name: 'short-lived' });
    const headers = { authorization: `Bearer ${secret}` };
    expect((await h.app.inject({ method: 'GET', url: '/api/ai/queue', headers })).statusCode).toBe(200);
    await h.retake.keys.revoke('short-lived');
    expect((await h.app.inject({ method: 'GET', url: '/api/ai/queue', headers })).statusCode).toBe(401);
  });

  it('keeps health, the OpenAPI document, the catalogue and files public', async () => {
    for (const url of ['/healthz', '/openapi.json', '/api/ai/models', '/api/ai/models/retake-local', '/api/ai/models/search?search=luma']) {
      expect((await h.app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
    }
    expect((await h.app.inject({ method: 'GET', url: '/files/uploads/abc/missing.mp4' })).statusCode).toBe(404);
  });

  it('needs a key for POSTs even on public paths', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/ai/queue', payload: { model: 'retake-local' } });
    expect(res.statusCode).toBe(401);
  });

  it('reports health with the queue depth', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.json()).toMatchObject({ status: 'ok', role: 'api', queue_depth: 0, database: 'sqlite' });
  });
});
