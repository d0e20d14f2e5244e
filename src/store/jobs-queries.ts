/**
 * The embedded job queue's table: leases with expiry. `claim` is one UPDATE whose
 * subquery picks the oldest runnable job; on PostgreSQL the subquery locks that row
 * with FOR UPDATE SKIP LOCKED so concurrent workers take different jobs instead of
 * queueing behind one another, and SQLite serialises writers, so the single statement
 * is atomic there too.
 */
import type { ExpressionBuilder, Kysely } from 'kysely';
import { num } from './codec.ts';
import type { Database } from './schema.ts';
import type { Dialect } from './migrations.ts';
import type { Store } from './types.ts';

/** Runnable now: due, and either never leased or its lease has run out. */
function claimable(now: number) {
  return (eb: ExpressionBuilder<Database, 'jobs'>) => eb.and([
    eb('run_at', '<=', now),
    eb.or([eb('worker_id', 'is', null), eb('lease_until', '<', now)]),
  ]);
}

export function jobsQueries(db: Kysely<Database>, dialect: Dialect): Store['jobs'] {
  return {
    async enqueue(generationId, runAt) {
      // Enqueueing twice is harmless; a new run_at applies unless a worker holds it.
      await db.insertInto('jobs')
        .values({ generation_id: generationId, run_at: runAt, worker_id: null, lease_until: null })
        .onConflict((oc) => oc.column('generation_id')
          .doUpdateSet({ run_at: (eb) => eb.ref('excluded.run_at') })
          .where('jobs.worker_id', 'is', null))
        .execute();
    },

    async claim(workerId, now, leaseMs) {
      const row = await db.updateTable('jobs')
        .set((eb) => ({ worker_id: workerId, lease_until: now + leaseMs, claims: eb('claims', '+', 1) }))
        .where('generation_id', '=', (eb) => eb.selectFrom('jobs')
          .select('generation_id')
          .where(claimable(now))
          .orderBy('run_at')
          .orderBy('generation_id')
          .limit(1)
          .$if(dialect === 'postgres', (qb) => qb.forUpdate().skipLocked()))
        .where(claimable(now))
        .returning(['generation_id', 'worker_id', 'lease_until', 'claims'])
        .executeTakeFirst();
      if (!row) return null;
      return {
        generation_id: row.generation_id,
        worker_id: row.worker_id ?? workerId,
        lease_until: num(row.lease_until),
        claims: num(row.claims),
      };
    },

    async heartbeat(generationId, workerId, now, leaseMs) {
      // A lease taken over by another worker has another worker_id, so matching the
      // id is enough; an expired lease nobody took yet may still be extended.
      const result = await db.updateTable('jobs')
        .set({ lease_until: now + leaseMs })
        .where('generation_id', '=', generationId)
        .where('worker_id', '=', workerId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async release(generationId, workerId, runAt) {
      await db.updateTable('jobs')
        .set({ worker_id: null, lease_until: null, run_at: runAt })
        .where('generation_id', '=', generationId)
        .where('worker_id', '=', workerId)
        .execute();
    },

    async remove(generationId) {
      await db.deleteFrom('jobs').where('generation_id', '=', generationId).execute();
    },

    async count() {
      const row = await db.selectFrom('jobs').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      return num(row.n);
    },
  };
}
