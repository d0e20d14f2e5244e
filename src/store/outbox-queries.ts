/**
 * The webhook outbox: deliveries wait here until a worker has sent them. Claiming takes
 * a short lease so two workers never send the same delivery at once; a worker that dies
 * mid-send leaves the lease to lapse and another sends it (at least once). A
 * generation's final delivery is written by the same transaction that ends it (see
 * `generations.transition`), with an empty body: it is rendered from the finished row
 * when sent. Delivered and abandoned rows are pruned after a while.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import type { OutboxDelivery, Store } from './types.ts';

/**
 * The id of a delivery about a generation: the generation id, a dot, and what it reports
 * (`completed`, an event id). The same report is then one delivery however often it is
 * queued, and the generation can be read back from the id (log lines, the signer).
 */
export function deliveryId(generationId: string, what: string | number): string {
  return `${generationId}.${what}`;
}

/** The generation a delivery id names (see {@link deliveryId}); undefined for other ids. */
export function generationOf(id: string): string | undefined {
  const dot = id.indexOf('.');
  return dot > 0 ? id.slice(0, dot) : undefined;
}

/** The id of a generation's final delivery: `<generation id>.completed`. */
export function finalDeliveryId(generationId: string): string {
  return deliveryId(generationId, 'completed');
}

/** Queue a generation's final delivery (empty body: rendered when sent); a repeat is a no-op. */
export async function addFinalDelivery(db: Kysely<Database>, generationId: string, url: string, now: number): Promise<void> {
  await insert(db, { id: finalDeliveryId(generationId), url, event: 'media_generation_completed', body: '', next_try_at: now });
}

async function insert(db: Kysely<Database>, delivery: Pick<OutboxDelivery, 'id' | 'url' | 'event' | 'body' | 'next_try_at'>): Promise<void> {
  await db.insertInto('webhook_outbox')
    .values({ ...delivery, lease_owner: null, lease_until: null, delivered_at: null, last_error: null, created_at: Date.now() })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export function outboxQueries(db: Kysely<Database>): Store['outbox'] {
  return {
    add: (delivery) => insert(db, delivery),

    async claimDue(owner, now, leaseMs, limit) {
      const due = await db.selectFrom('webhook_outbox').select('id')
        .where('delivered_at', 'is', null)
        .where('next_try_at', '<=', now)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
        .orderBy('next_try_at')
        .limit(limit)
        .execute();
      const claimed: OutboxDelivery[] = [];
      for (const { id } of due) {
        // Compare-and-set per row: another worker may have taken it since the read.
        const row = await db.updateTable('webhook_outbox')
          .set({ lease_owner: owner, lease_until: now + leaseMs })
          .where('id', '=', id)
          .where('delivered_at', 'is', null)
          .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
          .returning(['id', 'url', 'event', 'body', 'attempts', 'next_try_at'])
          .executeTakeFirst();
        if (row) claimed.push({ ...row, attempts: Number(row.attempts), next_try_at: Number(row.next_try_at) });
      }
      return claimed;
    },

    async delivered(id, at) {
      await db.updateTable('webhook_outbox')
        .set({ delivered_at: at, lease_owner: null, lease_until: null })
        .where('id', '=', id)
        .execute();
    },

    async failed(id, error, nextTryAt) {
      await db.updateTable('webhook_outbox')
        .set((eb) => ({
          attempts: eb('attempts', '+', 1),
          last_error: error.slice(0, 500),
          lease_owner: null,
          lease_until: null,
          // Given up: parked far in the future and marked, so it is never claimed again.
          ...(nextTryAt === null ? { delivered_at: -1, next_try_at: Number.MAX_SAFE_INTEGER } : { next_try_at: nextTryAt }),
        }))
        .where('id', '=', id)
        .execute();
    },

    async prune(before) {
      // Delivered before the cutoff, or given up (delivered_at -1) and created before it.
      const result = await db.deleteFrom('webhook_outbox')
        .where((eb) => eb.or([
          eb.and([eb('delivered_at', '>', 0), eb('delivered_at', '<', before)]),
          eb.and([eb('delivered_at', '=', -1), eb('created_at', '<', before)]),
        ]))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async pending() {
      const row = await db.selectFrom('webhook_outbox').select((eb) => eb.fn.countAll<number>().as('n'))
        .where('delivered_at', 'is', null)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
  };
}
