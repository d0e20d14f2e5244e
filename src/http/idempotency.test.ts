import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../api/testing.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

const body = { model: 'retake-local', prompt: 'watercolor', input_video: 'http://127.0.0.1:9/clip.mp4' };
const queue = (idem: string, payload: object, secret = h.secret) =>
  h.app.inject({ method: 'POST', url: '/api/ai/queue', headers: { authorization: `Bearer ${secret}`, 'idempotency-key': idem }, payload });

async function total(): Promise<number> {
  return (await h.app.inject({ method: 'GET', url: '/api/ai/queue', headers: h.auth })).json().count;
}

describe('Idempotency-Key', () => {
  it('replays the first answer without queueing again', async () => {
    const before = await total();
    const first = await queue('retry-1', { ...body, num_generations: 2 });
    expect(first.statusCode).toBe(200);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const second = await queue('retry-1', { ...body, num_generations: 2 });
    expect(second.statusCode).toBe(200);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
    expect(await total()).toBe(before + 2);
  });

  it('refuses the same key with a different body', async () => {
    expect((await queue('retry-2', body)).statusCode).toBe(200);
    const res = await queue('retry-2', { ...body, prompt: 'oil painting' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.type).toBe('idempotency_conflict');
  });

  it('answers idempotency_in_progress while the first request is still answering', async () => {
    const store = h.retake.store.idempotency;
    const original = store.complete.bind(store);
    let entered!: () => void;
    let unblock!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const gate = new Promise<void>((resolve) => (unblock = resolve));
    // Stall the first request between its claim and its stored answer.
    store.complete = async (...args) => {
      if (args[1] === 'retry-3') {
        entered();
        await gate;
      }
      return original(...args);
    };
    try {
      const running = queue('retry-3', body);
      await inside;
      const res = await queue('retry-3', body);
      expect(res.statusCode).toBe(409);
      expect(res.json().error.type).toBe('idempotency_in_progress');
      unblock();
      expect((await running).statusCode).toBe(200);
      expect((await queue('retry-3', body)).headers['idempotent-replayed']).toBe('true');
    } finally {
      store.complete = original;
    }
  });

  it('replays stored errors too, and scopes keys to the API key', async () => {
    const bad = await queue('retry-5', { model: 'retake-local' });
    expect(bad.statusCode).toBe(422);
    const again = await queue('retry-5', { model: 'retake-local' });
    expect(again.statusCode).toBe(422);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const other = await h.retake.keys.create({ name: 'other' });
    const fresh = await queue('retry-5', body, other.secret);
    expect(fresh.statusCode).toBe(200);
    expect(fresh.headers['idempotent-replayed']).toBeUndefined();
  });
});
