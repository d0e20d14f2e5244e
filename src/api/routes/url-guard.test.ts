/**
 * With private URLs not allowed (the default), input URLs that plainly point inside the
 * network are refused when the request is made — 422 `input_url_blocked`, nothing
 * queued or charged. Names that resolve to such addresses are refused by the fetch
 * guard when the job runs (test/fetch-to-file.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../testing.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ config: { allowPrivateUrls: false } });
});
afterAll(async () => h.close());

const queue = (input_video: string) =>
  h.app.inject({ method: 'POST', url: '/api/ai/queue', headers: h.auth, payload: { model: 'retake-local', prompt: 'noir', input_video } });

describe('input URL guard at the API', () => {
  it.each([
    'http://127.0.0.1:8080/clip.mp4',
    'http://localhost/clip.mp4',
    'http://[::1]/clip.mp4',
    'http://0x7f000001/clip.mp4',
    'http://[::ffff:127.0.0.1]/clip.mp4',
    'http://169.254.169.254/latest/meta-data',
    'http://10.0.0.1/clip.mp4',
    'http://192.168.1.20/clip.mp4',
  ])('refuses %s before queueing it', async (url) => {
    const res = await queue(url);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.type).toBe('input_url_blocked');
    expect(res.json().error.fields[0].field).toBe('input_video');
  });

  it('refuses a non-http scheme as a validation error', async () => {
    const res = await queue('file:///etc/passwd');
    expect(res.statusCode).toBe(422);
    expect(res.json().error.detail).toMatch(/http or https/);
  });

  it('queued nothing for any of them', async () => {
    const list = await h.app.inject({ method: 'GET', url: '/api/ai/queue', headers: h.auth });
    expect(list.json().count).toBe(0);
  });

  it('accepts a public URL', async () => {
    expect((await queue('https://example.com/clip.mp4')).statusCode).toBe(200);
  });

  // Regression: a malformed escape in one of retake's own file URLs threw a URIError
  // out of the upload-URL check (500); it is the client's URL that is wrong.
  it.each(['input_video', 'input_image'])('answers 422 input_url_invalid for a malformed escape in %s', async (field) => {
    const bad = `${h.baseUrl}/files/uploads/%FF/a.mp4`;
    const payload = { model: 'retake-local', prompt: 'noir', input_video: 'https://example.com/a.mp4', [field]: bad };
    const res = await h.app.inject({ method: 'POST', url: '/api/ai/queue', headers: h.auth, payload });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error.type).toBe('input_url_invalid');
    expect(res.json().error.fields[0].field).toBe(field);
  });
});
