import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../api/testing.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    // A route that fails with a raw error carrying a file path, as a bug would.
    setup: (app) => app.get('/api/boom-test', async () => {
      throw new Error("ENOENT: no such file or directory, open '/srv/secret/x.db'");
    }),
  });
});
afterAll(async () => h.close());

const post = (url: string, payload: string | Buffer, contentType: string) =>
  h.app.inject({ method: 'POST', url, payload, headers: { ...h.auth, 'content-type': contentType } });

describe('error envelope', () => {
  it('maps malformed JSON to 400 bad_request', async () => {
    const res = await post('/api/ai/queue', '{"model": ', 'application/json');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: { type: 'bad_request', title: 'Malformed request', detail: 'Body is not valid JSON' },
      status: 'error', status_message: 'bad_request',
    });
  });

  it('maps a body over the limit to 413 and an unknown content type to 415', async () => {
    const big = JSON.stringify({ model: 'retake-local', prompt: 'x'.repeat(2 * 1024 * 1024) });
    expect((await post('/api/ai/queue', big, 'application/json')).json().error.type).toBe('payload_too_large');
    const text = await post('/api/ai/queue', 'hello', 'text/plain');
    expect(text.statusCode).toBe(415);
    expect(text.json().error.type).toBe('unsupported_media_type');
  });

  it('lists every invalid field in a 422, envelope and request together', async () => {
    const res = await post('/api/ai/queue', JSON.stringify({ model: 'retake-local', num_generations: 9, resolution: '4k', hdr: 'yes' }), 'application/json');
    expect(res.statusCode).toBe(422);
    const fields = (res.json().error.fields as { field: string }[]).map((f) => f.field).sort();
    expect(fields).toEqual(['hdr', 'input_video', 'num_generations', 'prompt', 'resolution']);
  });

  it('maps query schema failures to 422 with the field', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/ai/queue?status=done', headers: h.auth });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ type: 'validation_error', fields: [{ field: 'status' }] });
  });

  it('answers unknown routes with 404 route_not_found', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.type).toBe('route_not_found');
  });

  it('hides the details of unexpected errors', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/boom-test', headers: h.auth });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({
      error: { type: 'internal_error', title: 'Internal error', detail: 'Internal error' },
      status: 'error', status_message: 'internal_error',
    });
    expect(res.body).not.toContain('/srv/secret');
  });
});
