import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../api/testing.ts';

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

  // Regression (DNS rebinding): with Host and Origin both set to the attacker's name the
  // old check passed, since the Origin matched the Host. Bound to loopback, only the
  // loopback names and the public URL's host are answered now.
  it('refuses a foreign Host header when bound to loopback, even with a matching Origin', async () => {
    for (const host of ['evil.example', 'evil.example:8787', 'retake.example.com.evil.example', '10.0.0.5:8787']) {
      for (const origin of [`http://${host}`, undefined]) {
        const res = await h.app.inject({ method: 'GET', url: '/api/ai/queue', headers: { ...h.auth, host, ...(origin ? { origin } : {}) } });
        expect(res.statusCode, `${host} ${origin}`).toBe(403);
        expect(res.json().error.type).toBe('cross_origin_forbidden');
      }
    }
    const workbench = await h.app.inject({ method: 'GET', url: '/workbench', headers: { host: 'evil.example:8787' } });
    expect(workbench.statusCode).toBe(403);
    for (const host of ['localhost:8787', '127.0.0.1:8787', '[::1]:8787', 'retake.example.com', 'LOCALHOST']) {
      const res = await h.app.inject({ method: 'GET', url: '/api/ai/queue', headers: { ...h.auth, host } });
      expect(res.statusCode, host).toBe(200);
    }
  });

  it('accepts any Host when bound to a public interface (a proxy decides)', async () => {
    const open = await startHarness({ config: { host: '0.0.0.0', publicUrl: 'https://retake.example.com' } });
    try {
      const res = await open.app.inject({ method: 'GET', url: '/api/ai/queue', headers: { ...open.auth, host: 'node-7.internal:8787' } });
      expect(res.statusCode).toBe(200);
    } finally {
      await open.close();
    }
  });
});
