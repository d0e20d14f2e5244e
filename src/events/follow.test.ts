/**
 * followEvents hands live events to a synchronous handler straight from the bus's
 * delivery (what keeps a fan-out to thousands of streams cheap), and still holds the
 * events behind a handler that waits (a stream whose socket is full), in order.
 */
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../store/types.ts';
import { KeyFanout } from './local-bus.ts';
import { followEvents } from './follow.ts';
import type { EventBus } from './types.ts';

const fanout = new KeyFanout();
const bus: EventBus = {
  publish: () => Promise.reject(new Error('not used')),
  subscribe: (keyId, listener) => fanout.subscribe(keyId, listener),
  close: async () => undefined,
};
const store = { events: { listAfter: async () => [], latestId: async () => 0 } } as never;
let nextId = 1;
const event = (keyId: string): StoredEvent => ({
  id: nextId++, key_id: keyId, generation_id: 'gen_1', type: 'media_generation_progress', data: {}, created_at: Date.now(),
});

describe('followEvents', () => {
  it('calls a synchronous handler of every follower during the delivery itself', () => {
    const got: number[][] = Array.from({ length: 100 }, () => []);
    const stop = new AbortController();
    for (const seen of got) {
      followEvents({ bus, store }, { keyId: 'key_sync', signal: stop.signal, onEvent: (e) => void seen.push(e.id), onError: (err) => { throw err; } });
    }
    const e = event('key_sync');
    fanout.deliver(e);
    // No await between the delivery and the check: every follower already has it.
    expect(got.every((seen) => seen.length === 1 && seen[0] === e.id)).toBe(true);
    stop.abort();
  });

  it('holds events behind a handler that waits, and hands them over in order once it is done', async () => {
    const seen: number[] = [];
    let release!: () => void;
    const full = new Promise<void>((done) => { release = done; });
    const stop = new AbortController();
    followEvents({ bus, store }, {
      keyId: 'key_wait', signal: stop.signal, onError: (err) => { throw err; },
      onEvent: (e) => {
        seen.push(e.id);
        return seen.length === 1 ? full : undefined;
      },
    });
    const [a, b, c] = [event('key_wait'), event('key_wait'), event('key_wait')];
    fanout.deliver(a);
    fanout.deliver(b);
    fanout.deliver(c);
    expect(seen).toEqual([a.id]);
    release();
    await full;
    await Promise.resolve();
    expect(seen).toEqual([a.id, b.id, c.id]);
    stop.abort();
  });

  it('stops handing events once its signal aborts', () => {
    const seen: number[] = [];
    const stop = new AbortController();
    followEvents({ bus, store }, { keyId: 'key_stop', signal: stop.signal, onEvent: (e) => void seen.push(e.id), onError: () => undefined });
    fanout.deliver(event('key_stop'));
    stop.abort();
    fanout.deliver(event('key_stop'));
    expect(seen).toHaveLength(1);
    expect(fanout.keys()).not.toContain('key_stop');
  });
});
