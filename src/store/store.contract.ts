/**
 * The behaviour every Store must show, run unchanged against SQLite
 * (`sqlite.test.ts`) and PostgreSQL (`test/store-postgres.test.ts`). `open` must
 * return a store over an empty database each time it is called.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiKeyRow, NewGeneration, Store } from './types.ts';

let counter = 0;
const uid = (prefix: string) => `${prefix}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;

export function sampleKey(overrides: Partial<ApiKeyRow> = {}): ApiKeyRow {
  const id = uid('key');
  return {
    id, name: id, hash: `hash-${id}`, prefix: 'rtk_abcd', hdr_access: false,
    budget_usd: null, created_at: 1_700_000_000_000, revoked_at: null, ...overrides,
  };
}

export function sampleGeneration(overrides: Partial<NewGeneration> = {}): NewGeneration {
  return {
    id: uid('gen'), key_id: 'key_a', model: 'retake-local', prompt: 'make it noir',
    request: {
      prompt: 'make it noir', input_video: 'https://example.com/in.mp4',
      resolution: '720p', duration: '5s', hdr: false, exr_export: false, edit_strength: 'flex_2',
    },
    cost: 0.5, webhook_url: null, enqueued_at: 1_700_000_000_000, ...overrides,
  };
}

/** Register the store contract under `label`. */
export function describeStoreContract(label: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${label}`, () => {
    let store: Store;
    beforeEach(async () => { store = await open(); });
    afterEach(async () => { await store.close(); });

    describe('keys', () => {
      it('finds a key by id, name and hash, keeping flags and budget', async () => {
        const key = sampleKey({ name: 'ci', hdr_access: true, budget_usd: 12.5 });
        await store.keys.insert(key);
        expect(await store.keys.find(key.id)).toEqual(key);
        expect(await store.keys.find('ci')).toEqual(key);
        expect(await store.keys.findByHash(key.hash)).toEqual(key);
        expect(await store.keys.findByHash('nope')).toBeUndefined();
        expect(await store.keys.find('nope')).toBeUndefined();
      });

      it('lists keys oldest first and revokes an active key once', async () => {
        const a = sampleKey({ created_at: 1 });
        const b = sampleKey({ created_at: 2, hdr_access: true });
        await store.keys.insert(b);
        await store.keys.insert(a);
        expect((await store.keys.list()).map((k) => k.id)).toEqual([a.id, b.id]);
        expect(await store.keys.revoke(a.name, 99)).toBe(true);
        expect(await store.keys.revoke(a.id, 100)).toBe(false);
        expect(await store.keys.revoke('missing', 100)).toBe(false);
        expect((await store.keys.find(a.id))?.revoked_at).toBe(99);
        expect((await store.keys.find(b.id))?.revoked_at).toBeNull();
      });
    });

    describe('generations', () => {
      it('inserts a queued row with empty results and reads it back', async () => {
        const input = sampleGeneration({ webhook_url: 'https://hooks.example.com/x' });
        const row = await store.generations.insert(input);
        expect(row).toMatchObject({
          ...input, status: 'queued', progress: 0, stage: null, eta_s: null, outputs: [],
          interpretation: null, warnings: [], error_code: null, error_message: null,
          attempts: 0, started_at: null, completed_at: null, engine_state: null,
        });
        expect(await store.generations.get(input.id)).toEqual(row);
        expect(await store.generations.get('missing')).toBeUndefined();
      });

      it('lists a key\'s generations newest first with filters, pages and total', async () => {
        for (let i = 0; i < 5; i++) {
          await store.generations.insert(sampleGeneration({ id: `g${i}`, key_id: 'k1', enqueued_at: 1000 + i, model: i % 2 ? 'm-odd' : 'm-even' }));
        }
        await store.generations.insert(sampleGeneration({ id: 'other', key_id: 'k2', enqueued_at: 5000 }));
        await store.generations.update('g3', { status: 'succeeded' });

        const page1 = await store.generations.list({ key_id: 'k1', limit: 2, offset: 0 });
        expect(page1.total).toBe(5);
        expect(page1.rows.map((r) => r.id)).toEqual(['g4', 'g3']);
        const page3 = await store.generations.list({ key_id: 'k1', limit: 2, offset: 4 });
        expect(page3.rows.map((r) => r.id)).toEqual(['g0']);

        const odd = await store.generations.list({ key_id: 'k1', model: 'm-odd', limit: 10, offset: 0 });
        expect(odd.rows.map((r) => r.id)).toEqual(['g3', 'g1']);
        const queuedOdd = await store.generations.list({ key_id: 'k1', model: 'm-odd', status: 'queued', limit: 10, offset: 0 });
        expect(queuedOdd).toMatchObject({ total: 1, rows: [{ id: 'g1' }] });
        expect((await store.generations.list({ key_id: 'nobody', limit: 10, offset: 0 })).total).toBe(0);
      });

      it('pages a key\'s generations by position, stable while new ones arrive and across equal times', async () => {
        // Two share a time: the id breaks the tie, as in the newest-first order.
        for (const [id, at] of [['p0', 1000], ['p1', 1001], ['p2a', 1002], ['p2b', 1002], ['p3', 1003]] as const) {
          await store.generations.insert(sampleGeneration({ id, key_id: 'kp', enqueued_at: at }));
        }
        const ids = async (filter: Partial<Parameters<typeof store.generations.list>[0]>) =>
          (await store.generations.list({ key_id: 'kp', limit: 2, offset: 0, ...filter })).rows.map((r) => r.id);
        expect(await ids({})).toEqual(['p3', 'p2b']);
        // A new generation arrives between the pages: the next page neither repeats nor skips.
        await store.generations.insert(sampleGeneration({ id: 'p4', key_id: 'kp', enqueued_at: 1004 }));
        expect(await ids({ before: { enqueued_at: 1002, id: 'p2b' } })).toEqual(['p2a', 'p1']);
        expect(await ids({ before: { enqueued_at: 1001, id: 'p1' } })).toEqual(['p0']);
        // Backwards from a page's first row: the page before it, still newest first.
        expect(await ids({ after: { enqueued_at: 1002, id: 'p2a' } })).toEqual(['p3', 'p2b']);
        expect(await ids({ after: { enqueued_at: 1003, id: 'p3' } })).toEqual(['p4']);
        expect(await ids({ before: { enqueued_at: 1000, id: 'p0' } })).toEqual([]);
      });

      it('updates fields, JSON included, and answers undefined for an unknown id', async () => {
        const { id } = await store.generations.insert(sampleGeneration());
        const outputs = [{ kind: 'video' as const, blob: `outputs/${id}/video.mp4`, content_type: 'video/mp4', bytes: 1234 }];
        // An engine's own record: the store keeps whatever fields it has.
        const interpretation = { engine: 'fal', provider_request_id: 'req-1' };
        const row = await store.generations.update(id, {
          progress: 0.5, stage: 'render', eta_s: 3.5, outputs, warnings: ['ignored "sparkles"'],
          interpretation, attempts: 1, started_at: 1_700_000_000_500,
        });
        expect(row).toMatchObject({ progress: 0.5, stage: 'render', eta_s: 3.5, outputs, warnings: ['ignored "sparkles"'], interpretation: { engine: 'fal', provider_request_id: 'req-1' }, attempts: 1, started_at: 1_700_000_000_500 });
        expect(await store.generations.get(id)).toEqual(row);
        expect(await store.generations.update(id, {})).toEqual(row);
        expect(await store.generations.update('missing', { progress: 1 })).toBeUndefined();
      });

      it('keeps an engine checkpoint as JSON until it is replaced or cleared', async () => {
        const { id, engine_state } = await store.generations.insert(sampleGeneration());
        expect(engine_state).toBeNull();
        const state = { provider: 'fal', request_id: 'req-1', urls: { status: 'https://q.example/s' }, n: 2 };
        await store.generations.transition(id, ['queued'], { status: 'processing' });
        // A progress patch without the field leaves the checkpoint alone.
        await store.generations.update(id, { engine_state: state });
        await store.generations.transition(id, ['processing'], { progress: 0.4 });
        expect((await store.generations.get(id))?.engine_state).toEqual(state);
        await store.generations.update(id, { engine_state: null });
        expect((await store.generations.get(id))?.engine_state).toBeNull();
      });

      it('keeps the webhook options of another protocol and counts the queue ahead of a time', async () => {
        const hooked = await store.generations.insert(sampleGeneration({
          id: 'q1', enqueued_at: 100, webhook_url: 'https://hooks.example.com/r', webhook_options: { format: 'replicate', events: ['start', 'completed'] },
        }));
        expect(hooked.webhook_options).toEqual({ format: 'replicate', events: ['start', 'completed'] });
        expect((await store.generations.get('q1'))?.webhook_options).toEqual({ format: 'replicate', events: ['start', 'completed'] });
        await store.generations.insert(sampleGeneration({ id: 'q2', key_id: 'other', enqueued_at: 200 }));
        await store.generations.insert(sampleGeneration({ id: 'q3', enqueued_at: 300 }));
        expect((await store.generations.get('q3'))?.webhook_options).toBeNull();
        // Only the key's own queue counts: q2 belongs to another key.
        expect(await store.generations.queuedBefore('key_a', 300)).toBe(1);
        expect(await store.generations.queuedBefore('other', 300)).toBe(1);
        await store.generations.transition('q1', ['queued'], { status: 'processing' });
        expect(await store.generations.queuedBefore('key_a', 300)).toBe(0);
        expect(await store.generations.queuedBefore('key_a', 100)).toBe(0);
      });

      it('transitions only from the expected status (compare-and-set)', async () => {
        const { id } = await store.generations.insert(sampleGeneration());
        const first = await store.generations.transition(id, ['queued'], { status: 'processing', started_at: 10 });
        expect(first).toMatchObject({ status: 'processing', started_at: 10 });
        const second = await store.generations.transition(id, ['queued'], { status: 'cancelled', completed_at: 11 });
        expect(second).toBeUndefined();
        expect(await store.generations.get(id)).toMatchObject({ status: 'processing', completed_at: null });
        const done = await store.generations.transition(id, ['queued', 'processing'], { status: 'succeeded', progress: 1 });
        expect(done).toMatchObject({ status: 'succeeded', progress: 1 });
        expect(await store.generations.transition('missing', ['queued'], { status: 'processing' })).toBeUndefined();
      });

      it('lists and counts unfinished generations of every key, oldest first', async () => {
        const a = await store.generations.insert(sampleGeneration({ key_id: 'key_u1', enqueued_at: 3000 }));
        const b = await store.generations.insert(sampleGeneration({ key_id: 'key_u2', enqueued_at: 1000 }));
        const c = await store.generations.insert(sampleGeneration({ key_id: 'key_u1', enqueued_at: 2000 }));
        const d = await store.generations.insert(sampleGeneration({ key_id: 'key_u2', enqueued_at: 500 }));
        await store.generations.transition(c.id, ['queued'], { status: 'processing' });
        await store.generations.transition(d.id, ['queued'], { status: 'succeeded' });
        expect(await store.generations.unfinished(10)).toEqual([
          { id: b.id, status: 'queued', enqueued_at: 1000 },
          { id: c.id, status: 'processing', enqueued_at: 2000 },
          { id: a.id, status: 'queued', enqueued_at: 3000 },
        ]);
        expect(await store.generations.unfinished(1)).toHaveLength(1);
        expect(await store.generations.countUnfinished()).toEqual({ queued: 2, processing: 1 });
      });

      it('totals cost per key, refunding generations cancelled before they started', async () => {
        expect(await store.generations.totalCost('k1')).toBe(0);
        await store.generations.insert(sampleGeneration({ id: 'queued', key_id: 'k1', cost: 1 }));
        await store.generations.insert(sampleGeneration({ id: 'failed', key_id: 'k1', cost: 2 }));
        await store.generations.insert(sampleGeneration({ id: 'refunded', key_id: 'k1', cost: 4 }));
        await store.generations.insert(sampleGeneration({ id: 'late-cancel', key_id: 'k1', cost: 8 }));
        await store.generations.insert(sampleGeneration({ id: 'other-key', key_id: 'k2', cost: 16 }));
        await store.generations.update('failed', { status: 'failed', started_at: 5 });
        await store.generations.update('refunded', { status: 'cancelled' });
        await store.generations.update('late-cancel', { status: 'cancelled', started_at: 5 });
        expect(await store.generations.totalCost('k1')).toBe(11);
        expect(await store.generations.totalCost('k2')).toBe(16);
      });
    });

    describe('events', () => {
      it('reads the events of several generations of a key in one call, oldest first', async () => {
        const a = await store.events.append({ key_id: 'kp', generation_id: 'p1', type: 'media_generation_started', data: {} });
        await store.events.append({ key_id: 'kq', generation_id: 'p1', type: 'media_generation_started', data: {} });
        const b = await store.events.append({ key_id: 'kp', generation_id: 'p2', type: 'media_generation_started', data: {} });
        await store.events.append({ key_id: 'kp', generation_id: 'p3', type: 'media_generation_started', data: {} });
        const c = await store.events.append({ key_id: 'kp', generation_id: 'p1', type: 'media_generation_completed', data: { status: 'succeeded' } });
        expect((await store.events.ofGenerations('kp', ['p1', 'p2'])).map((e) => e.id)).toEqual([a.id, b.id, c.id]);
        expect(await store.events.ofGenerations('kp', [])).toEqual([]);
      });

      it('knows the latest event id, 0 before any', async () => {
        expect(await store.events.latestId()).toBe(0);
        await store.events.append({ key_id: 'key_l', generation_id: 'g', type: 'media_generation_started', data: {} });
        const last = await store.events.append({ key_id: 'key_m', generation_id: 'g', type: 'media_generation_started', data: {} });
        expect(await store.events.latestId()).toBe(last.id);
      });

      it('appends with increasing ids and replays after an id', async () => {
        const a = await store.events.append({ key_id: 'k1', generation_id: 'g1', type: 'media_generation_started', data: { n: 1 } });
        const b = await store.events.append({ key_id: 'k2', generation_id: 'g9', type: 'media_generation_started', data: {} });
        const c = await store.events.append({ key_id: 'k1', generation_id: 'g2', type: 'media_generation_progress', data: { progress: 0.5, stage: 'render' } });
        const d = await store.events.append({ key_id: 'k1', generation_id: 'g1', type: 'media_generation_completed', data: { status: 'succeeded' } });
        expect(a.id).toBeLessThan(b.id);
        expect(b.id).toBeLessThan(c.id);
        expect(c.id).toBeLessThan(d.id);
        expect(typeof a.created_at).toBe('number');

        expect(await store.events.listAfter('k1', 0)).toEqual([a, c, d]);
        expect(await store.events.listAfter('k1', a.id)).toEqual([c, d]);
        expect(await store.events.listAfter('k1', 0, 'g1')).toEqual([a, d]);
        expect(await store.events.listAfter('k1', 0, undefined, 2)).toEqual([a, c]);
        expect(await store.events.listAfter('k1', d.id)).toEqual([]);
      });
    });

    describe('idempotency', () => {
      const claim = (idemKey: string, hash = 'h1') =>
        store.idempotency.claim({ key_id: 'k1', idem_key: idemKey, request_hash: hash, created_at: 1 });

      it('claims once, shows the pending row, then the stored answer', async () => {
        expect(await claim('a')).toBeUndefined();
        expect(await claim('a', 'h2')).toMatchObject({ request_hash: 'h1', status_code: null, response: null });
        await store.idempotency.complete('k1', 'a', 201, { id: 'gen_1', status: 'queued' });
        expect(await claim('a')).toMatchObject({ status_code: 201, response: { id: 'gen_1', status: 'queued' } });
        // The same idempotency key under another API key is a different record.
        expect(await store.idempotency.claim({ key_id: 'k2', idem_key: 'a', request_hash: 'h1', created_at: 1 })).toBeUndefined();
      });

      it('releases a pending claim but keeps a completed answer', async () => {
        await claim('p');
        await store.idempotency.release('k1', 'p');
        expect(await claim('p')).toBeUndefined();

        await store.idempotency.complete('k1', 'p', 200, ['done']);
        await store.idempotency.release('k1', 'p');
        expect(await claim('p')).toMatchObject({ status_code: 200, response: ['done'] });
      });

      it('lets one taker over a lapsed claim, and keeps what the first recorded', async () => {
        const row = { key_id: 'k1', idem_key: 'lease', request_hash: 'h1', created_at: 1 };
        expect(await store.idempotency.claim({ ...row, owner: 'dead', expires_at: 100 })).toBeUndefined();
        await store.idempotency.attach('k1', 'lease', { generation_ids: ['g1'] });
        await store.idempotency.renew('k1', 'lease', 'someone-else', 999);
        const seen = await store.idempotency.claim(row);
        expect(seen).toMatchObject({ owner: 'dead', expires_at: 100, resource: { generation_ids: ['g1'] }, status_code: null });
        const takers = await Promise.all(['a', 'b'].map((owner) =>
          store.idempotency.takeOver('k1', 'lease', { owner: seen!.owner, expires_at: seen!.expires_at }, owner, 500)));
        expect(takers.filter(Boolean)).toHaveLength(1);
        const winner = takers[0] ? 'a' : 'b';
        await store.idempotency.renew('k1', 'lease', winner, 900);
        expect(await store.idempotency.claim(row)).toMatchObject({ owner: winner, expires_at: 900 });
        await store.idempotency.complete('k1', 'lease', 200, { ok: true });
        expect(await store.idempotency.takeOver('k1', 'lease', { owner: winner, expires_at: 900 }, 'c', 2000)).toBe(false);
      });
    });

    describe('webhook outbox', () => {
      const add = (id: string, at: number) => store.outbox.add({ id, url: 'https://example.com/hook', event: 'e', body: `{"id":"${id}"}`, next_try_at: at });

      it('hands each due delivery to one worker at a time, retries, and never resends a delivered one', async () => {
        await add('d1', 10);
        await add('d2', 20);
        await add('d1', 10);
        await add('later', 1000);
        expect(await store.outbox.pending()).toBe(3);
        const first = await store.outbox.claimDue('w1', 50, 100, 10);
        expect(first.map((d) => d.id)).toEqual(['d1', 'd2']);
        expect(first[0]).toMatchObject({ url: 'https://example.com/hook', body: '{"id":"d1"}', attempts: 0 });
        // Leased: not handed out again until the lease lapses.
        expect(await store.outbox.claimDue('w2', 60, 100, 10)).toEqual([]);
        await store.outbox.delivered('d1', 70);
        await store.outbox.failed('d2', 'HTTP 503', 200);
        expect(await store.outbox.claimDue('w2', 160, 100, 10)).toEqual([]);
        const retry = await store.outbox.claimDue('w2', 200, 100, 10);
        expect(retry.map((d) => [d.id, d.attempts])).toEqual([['d2', 1]]);
        // A worker that died holding the lease: another takes it once the lease lapses.
        expect((await store.outbox.claimDue('w3', 301, 100, 10)).map((d) => d.id)).toEqual(['d2']);
        await store.outbox.failed('d2', 'HTTP 410', null);
        expect((await store.outbox.claimDue('w3', 5000, 100, 10)).map((d) => d.id)).toEqual(['later']);
        expect(await store.outbox.pending()).toBe(1);
      });

      it('queues the final delivery of a generation with a webhook in the same commit as its end, once', async () => {
        const hooked = await store.generations.insert(sampleGeneration({ webhook_url: 'https://hooks.example.com/end' }));
        const plain = await store.generations.insert(sampleGeneration());
        const cancelled = await store.generations.insert(sampleGeneration({ webhook_url: 'https://hooks.example.com/cancel' }));
        await store.generations.transition(hooked.id, ['queued'], { status: 'processing' });
        await store.generations.transition(hooked.id, ['processing'], { progress: 0.5 });
        expect(await store.outbox.pending()).toBe(0);
        await store.generations.transition(hooked.id, ['processing'], { status: 'succeeded', completed_at: 5 });
        // The end was already reached: a second ending transition does nothing.
        expect(await store.generations.transition(hooked.id, ['processing'], { status: 'failed' })).toBeUndefined();
        await store.generations.transition(plain.id, ['queued'], { status: 'cancelled' });
        await store.generations.transition(cancelled.id, ['queued'], { status: 'cancelled' });
        const due = await store.outbox.claimDue('w', Date.now() + 1000, 100, 10);
        expect(due.map((d) => [d.id, d.url, d.body]).sort()).toEqual([
          [`${cancelled.id}.completed`, 'https://hooks.example.com/cancel', ''],
          [`${hooked.id}.completed`, 'https://hooks.example.com/end', ''],
        ].sort());
      });

      it('prunes delivered and given-up deliveries older than the cutoff, never pending ones', async () => {
        await add('sent', 10);
        await add('abandoned', 10);
        await add('waiting', 10);
        await store.outbox.delivered('sent', 100);
        await store.outbox.failed('abandoned', 'HTTP 410', null);
        expect(await store.outbox.prune(50)).toBe(0);
        expect(await store.outbox.prune(200)).toBe(1);
        expect(await store.outbox.prune(Date.now() + 1000)).toBe(1);
        expect(await store.outbox.pending()).toBe(1);
        expect((await store.outbox.claimDue('w', 20, 100, 10)).map((d) => d.id)).toEqual(['waiting']);
      });
    });

    describe('jobs', () => {
      it('claims the oldest due job first and nothing that is not due', async () => {
        await store.jobs.enqueue('late', 300);
        await store.jobs.enqueue('early', 100);
        await store.jobs.enqueue('future', 10_000);
        expect(await store.jobs.claim('w1', 500, 1000)).toEqual({ generation_id: 'early', worker_id: 'w1', lease_until: 1500, claims: 1 });
        expect(await store.jobs.claim('w1', 500, 1000)).toMatchObject({ generation_id: 'late' });
        expect(await store.jobs.claim('w1', 500, 1000)).toBeNull();
      });

      it('never hands a leased job to a second worker', async () => {
        await store.jobs.enqueue('only', 0);
        expect(await store.jobs.claim('w1', 1000, 100)).toMatchObject({ generation_id: 'only' });
        expect(await store.jobs.claim('w2', 1000, 100)).toBeNull();
        expect(await store.jobs.claim('w2', 1100, 100)).toBeNull();
      });

      it('lets another worker take a job whose lease ran out, and the old holder loses it', async () => {
        await store.jobs.enqueue('crashy', 0);
        await store.jobs.claim('w1', 1000, 100);
        expect(await store.jobs.claim('w2', 1101, 100)).toEqual({ generation_id: 'crashy', worker_id: 'w2', lease_until: 1201, claims: 2 });
        expect(await store.jobs.heartbeat('crashy', 'w1', 1102, 100)).toBe(false);
        expect(await store.jobs.heartbeat('crashy', 'w2', 1150, 100)).toBe(true);
        expect(await store.jobs.claim('w3', 1220, 100)).toBeNull();
      });

      it('releases a job to run again at a later time, only by its holder', async () => {
        await store.jobs.enqueue('flaky', 0);
        await store.jobs.claim('w1', 1000, 100);
        await store.jobs.release('flaky', 'w2', 1000);
        expect(await store.jobs.claim('w2', 1050, 100)).toBeNull();
        await store.jobs.release('flaky', 'w1', 5000);
        expect(await store.jobs.heartbeat('flaky', 'w1', 1060, 100)).toBe(false);
        expect(await store.jobs.claim('w2', 4999, 100)).toBeNull();
        expect(await store.jobs.claim('w2', 5000, 100)).toMatchObject({ generation_id: 'flaky', claims: 2 });
      });

      it('counts waiting and leased jobs, enqueues idempotently and removes', async () => {
        await store.jobs.enqueue('a', 0);
        await store.jobs.enqueue('a', 0);
        await store.jobs.enqueue('b', 0);
        await store.jobs.enqueue('c', 0);
        expect(await store.jobs.count()).toBe(3);
        await store.jobs.claim('w1', 10, 100);
        expect(await store.jobs.count()).toBe(3);
        await store.jobs.remove('a');
        expect(await store.jobs.count()).toBe(2);
        expect(await store.jobs.heartbeat('a', 'w1', 20, 100)).toBe(false);
        expect(await store.jobs.claim('w2', 20, 100)).toMatchObject({ generation_id: 'b' });
      });

      it('gives parallel claimers distinct jobs', async () => {
        const ids = Array.from({ length: 12 }, (_, i) => `job${String(i).padStart(2, '0')}`);
        for (const id of ids) await store.jobs.enqueue(id, 0);
        const claimer = (worker: string) => Promise.all(Array.from({ length: 8 }, () => store.jobs.claim(worker, 100, 1000)));
        const [a, b] = await Promise.all([claimer('w1'), claimer('w2')]);
        const got = [...a, ...b].filter((l) => l !== null).map((l) => l.generation_id);
        expect(got).toHaveLength(12);
        expect(new Set(got).size).toBe(12);
        expect([...a, ...b].filter((l) => l === null)).toHaveLength(4);
      });
    });
  });
}
