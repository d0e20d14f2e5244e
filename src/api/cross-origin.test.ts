import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './testing.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ config: { publicUrl: 'https://retake.example.com' } });
});
afterAll(async () => h.close());

describe('cross-origin requests', () => {
  it('refuses a foreign Origin before looking at the key', async () => {
    const res = await h.app.inject({
      method: 'POST', url: '/api/ai/queue', headers: { ...h.auth, origin: 'https://evil.example' }, payload: { model: 'retake-local' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.type).toBe('cross_origin_forbidden');
    const anon = await h.app.inject({ method: 'GET', url: '/api/ai/queue', headers: { origin: 'null' } });
    expect(anon.statusCode).toBe(403);
  });

  it('accepts the public origin, the Host it was sent to, and requests without Origin', async () => {
    const pub = await h.app.inject({ method: 'GET', url: '/api/ai/queue', headers: { ...h.auth, origin: 'https://retake.example.com' } });
    expect(pub.statusCode).toBe(200);
    const host = await h.app.inject({
      method: 'GET', url: '/api/ai/queue', headers: { ...h.auth, host: 'localhost:9999', origin: 'http://localhost:9999' },
    });
    expect(host.statusCode).toBe(200);
    expect((await h.app.inject({ method: 'GET', url: '/api/ai/queue', headers: h.auth })).statusCode).toBe(200);
  });

  it('refuses a look-alike origin (other port or scheme)', async () => {
    for (const origin of ['https://retake.example.com:8443', 'http://retake.example.com', 'https://retake.example.com.evil.example']) {
      const res = await h.app.inject({ method: 'GET', url: '/api/ai/models', headers: { origin } });
      expect(res.statusCode, origin).toBe(403);
    }
  });
});
