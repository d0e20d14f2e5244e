/**
 * The one Store implementation: the same Kysely queries over either dialect. Opening
 * the connection and choosing the dialect is `index.ts`'s job.
 */
import type { Kysely } from 'kysely';
import { eventsQueries } from './events-queries.ts';
import { generationsQueries } from './generations-queries.ts';
import { idempotencyQueries } from './idempotency-queries.ts';
import { jobsQueries } from './jobs-queries.ts';
import { keysQueries } from './keys-queries.ts';
import { outboxQueries } from './outbox-queries.ts';
import type { Dialect } from './migrations.ts';
import type { Database } from './schema.ts';
import type { Store } from './types.ts';

/**
 * Wrap an open, migrated Kysely instance. `close()` destroys it.
 * @param now clock for event timestamps (default `Date.now`).
 */
export function createKyselyStore(db: Kysely<Database>, dialect: Dialect, now: () => number = Date.now): Store {
  let closed: Promise<void> | undefined;
  return {
    dialect,
    keys: keysQueries(db),
    generations: generationsQueries(db),
    events: eventsQueries(db, dialect, now),
    idempotency: idempotencyQueries(db),
    outbox: outboxQueries(db),
    jobs: jobsQueries(db, dialect),
    close() {
      closed ??= db.destroy();
      return closed;
    },
  };
}
