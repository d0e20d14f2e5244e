import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { OutboxDelivery, Store } from '../store/types.ts';
import { createWebhookOutbox, deliveryId, generationOf } from './webhook-outbox.ts';

describe('delivery ids', () => {
  it('name the generation they report on', () => {
    const id = deliveryId('0b6c4a52-8f0e-4d8e-9a57-3f3c2b1d9e70', 'completed');
    expect(id).toBe('0b6c4a52-8f0e-4d8e-9a57-3f3c2b1d9e70.completed');
    expect(generationOf(id)).toBe('0b6c4a52-8f0e-4d8e-9a57-3f3c2b1d9e70');
    expect(generationOf(deliveryId('g1', 42))).toBe('g1');
    expect(generationOf('no-generation-here')).toBeUndefined();
  });
});

describe('webhook outbox', () => {
  it('logs a delivery it gives up on with its generation id', async () => {
    const row: OutboxDelivery = { id: deliveryId('gen-1', 'completed'), url: 'https://hooks.test/x', event: 'media_generation_completed', body: '{}', attempts: 0, next_try_at: 0 };
    let claimed = false;
    const failed: [string, number | null][] = [];
    const outbox = {
      add: async () => undefined,
      claimDue: async () => (claimed ? [] : ((claimed = true), [row])),
      delivered: async () => undefined,
      failed: async (id: string, _error: string, next: number | null) => void failed.push([id, next]),
      pending: async () => 0,
      prune: async () => 0,
    } satisfies Store['outbox'];
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const sender = createWebhookOutbox({ store: { outbox } as unknown as Store, attempt: async () => 'give_up', logger: pino(sink) });
    await sender.flush();
    expect(failed).toEqual([[row.id, null]]);
    expect(lines).toEqual([expect.objectContaining({ msg: 'webhook not delivered', generation_id: 'gen-1', delivery: row.id, attempts: 1 })]);
  });
});
