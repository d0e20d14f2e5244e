/**
 * The persisted event log: append with a monotonic id, replay after an id.
 * On PostgreSQL ids are handed out at insert and become visible at commit, so two
 * concurrent appends can appear out of id order for an instant; each append here is
 * its own short statement, which keeps that window tiny.
 */
import type { Kysely } from 'kysely';
import { decodeEvent } from './codec.ts';
import type { Database } from './schema.ts';
import type { Store } from './types.ts';

/** Default page size of `listAfter`: bounds a replay after a long disconnect. */
export const DEFAULT_EVENT_LIMIT = 1000;

export function eventsQueries(db: Kysely<Database>, now: () => number): Store['events'] {
  return {
    async append(event) {
      const row = await db.insertInto('events')
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
  };
}
