/**
 * The webhook outbox: deliveries wait here until a worker has sent them. Claiming takes
 * a short lease so two workers never send the same delivery at once; a worker that dies
 * mid-send leaves the lease to lapse and another sends it (at least once).
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import type { OutboxDelivery, Store } from './types.ts';

export function outboxQueries(db: Kysely<Database>): Store['outbox'] {
  return {
    async add(delivery) {
      await db.insertInto('webhook_outbox')
        .values({ ...delivery, lease_owner: null, lease_until: null, delivered_at: null, last_error: null, created_at: Date.now() })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },

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

    async pending() {
      const row = await db.selectFrom('webhook_outbox').select((eb) => eb.fn.countAll<number>().as('n'))
        .where('delivered_at', 'is', null)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
  };
}
