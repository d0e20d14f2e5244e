/**
 * The persisted event log: append with a monotonic id, replay after an id.
 * On PostgreSQL ids are handed out at insert but become visible at commit, so two
 * concurrent appends could appear out of id order, and a client replaying after the
 * higher id would miss the lower one for good. Appends there take a transaction-level
 * advisory lock first: the next id is only handed out once the previous event is
 * committed. (SQLite serialises writers by itself.)
 */
import { sql, type Kysely } from 'kysely';
import { decodeEvent, num } from './codec.ts';
import type { Dialect } from './migrations.ts';
import type { Database } from './schema.ts';
import type { NewEvent, StoredEvent, Store } from './types.ts';

/** Default page size of `listAfter`: bounds a replay after a long disconnect. */
export const DEFAULT_EVENT_LIMIT = 1000;

/** Advisory lock key of event appends (any constant unique to this use; "retake" in ASCII). */
const APPEND_LOCK = 0x72657461_6b65;

export function eventsQueries(db: Kysely<Database>, dialect: Dialect, now: () => number): Store['events'] {
  async function insert(trx: Kysely<Database>, event: NewEvent): Promise<StoredEvent> {
    const row = await trx.insertInto('events')
      .values({
        key_id: event.key_id,
        generation_id: event.generation_id,
        type: event.type,
        data: JSON.stringify(event.data),
        created_at: now(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return decodeEvent(row);
  }

  return {
    async append(event) {
      if (dialect !== 'postgres') return insert(db, event);
      return db.transaction().execute(async (trx) => {
        await sql`SELECT pg_advisory_xact_lock(${APPEND_LOCK}::bigint)`.execute(trx);
        return insert(trx, event);
      });
    },

    async listAfter(keyId, afterId, generationId, limit = DEFAULT_EVENT_LIMIT) {
      const rows = await db.selectFrom('events').selectAll()
        .where('key_id', '=', keyId)
        .where('id', '>', afterId)
        .$if(generationId !== undefined, (qb) => qb.where('generation_id', '=', generationId!))
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(decodeEvent);
    },

    async ofGenerations(keyId, generationIds) {
      if (generationIds.length === 0) return [];
      const rows = await db.selectFrom('events').selectAll()
        .where('key_id', '=', keyId)
        .where('generation_id', 'in', [...generationIds])
        .orderBy('id')
        .execute();
      return rows.map(decodeEvent);
    },

    async latestId() {
      const row = await db.selectFrom('events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
      return num(row?.id ?? 0);
    },
  };
}
