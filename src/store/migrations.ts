/**
 * Schema migrations, run on every open. Kysely's Migrator records what ran in
 * `retake_migration` and, on PostgreSQL, holds an advisory lock while migrating, so
 * several processes opening the same database at once apply each migration once.
 * Column types differ per dialect only where they must (64-bit times, identity ids).
 */
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { RetakeError } from '../errors/index.ts';

export type Dialect = 'sqlite' | 'postgres';

function initial(dialect: Dialect): Migration {
  // Epoch milliseconds overflow a 32-bit integer; SQLite's INTEGER is already 64-bit.
  const time = dialect === 'postgres' ? 'bigint' : 'integer';
  const real = dialect === 'postgres' ? 'double precision' : 'real';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('api_keys').ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull().unique())
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('hdr_access', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('budget_usd', real)
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('revoked_at', time)
        .execute();
      await db.schema.createIndex('api_keys_name').ifNotExists().on('api_keys').column('name').execute();

      await db.schema.createTable('generations').ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('queued'))
        .addColumn('prompt', 'text', (c) => c.notNull())
        .addColumn('request', 'text', (c) => c.notNull())
        .addColumn('cost', real, (c) => c.notNull().defaultTo(0))
        .addColumn('progress', real, (c) => c.notNull().defaultTo(0))
        .addColumn('stage', 'text')
        .addColumn('eta_s', real)
        .addColumn('outputs', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('interpretation', 'text')
        .addColumn('warnings', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('error_code', 'text')
        .addColumn('error_message', 'text')
        .addColumn('webhook_url', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('enqueued_at', time, (c) => c.notNull())
        .addColumn('started_at', time)
        .addColumn('completed_at', time)
        .execute();
      await db.schema.createIndex('generations_key_enqueued').ifNotExists()
        .on('generations').columns(['key_id', 'enqueued_at desc']).execute();

      await db.schema.createTable('events').ifNotExists()
        .addColumn('id', dialect === 'postgres' ? 'bigint' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement())
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('generation_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('events_key_id').ifNotExists().on('events').columns(['key_id', 'id']).execute();

      await db.schema.createTable('idempotency').ifNotExists()
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('idem_key', 'text', (c) => c.notNull())
        .addColumn('request_hash', 'text', (c) => c.notNull())
        .addColumn('status_code', 'integer')
        .addColumn('response', 'text')
        .addColumn('created_at', time, (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_pk', ['key_id', 'idem_key'])
        .execute();

      await db.schema.createTable('jobs').ifNotExists()
        .addColumn('generation_id', 'text', (c) => c.primaryKey())
        .addColumn('run_at', time, (c) => c.notNull())
        .addColumn('worker_id', 'text')
        .addColumn('lease_until', time)
        .addColumn('claims', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex('jobs_run_at').ifNotExists().on('jobs').column('run_at').execute();
    },
  };
}

/**
 * Where a hosted engine records the provider's request id (`engine_state`, JSON text), so
 * a restarted worker follows the paid request instead of submitting it again.
 */
const engineState: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('generations').addColumn('engine_state', 'text').execute();
  },
};

/**
 * How a generation's webhook is shaped and signed when it came in through another
 * protocol (Replicate's prediction with `webhook_events_filter`, fal's `fal_webhook`):
 * `webhook_options`, JSON text; null for retake's own webhook.
 */
const webhookOptions: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('generations').addColumn('webhook_options', 'text').execute();
  },
};

/**
 * Metrics and the scale-out queue's recovery sweep look up unfinished generations on
 * every scrape or sweep; a partial index keeps that a few rows whatever the history's size
 * (and small enough to build in a moment during a rolling upgrade).
 */
const unfinishedIndex: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex('generations_unfinished').ifNotExists()
      .on('generations').columns(['status', 'enqueued_at'])
      .where(sql.ref('status'), 'in', [sql.lit('queued'), sql.lit('processing')])
      .execute();
  },
};

/**
 * Idempotency claims with an owner and an expiry (a lease the running request renews),
 * so a claim left by a crashed server can be taken over instead of answering "in
 * progress" forever; `resource` records what the request created (generation ids) so
 * the retry that takes over answers with it instead of creating it again.
 */
function idempotencyLease(dialect: Dialect): Migration {
  const time = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('idempotency').addColumn('owner', 'text').execute();
      await db.schema.alterTable('idempotency').addColumn('expires_at', time).execute();
      await db.schema.alterTable('idempotency').addColumn('resource', 'text').execute();
    },
  };
}

/**
 * The webhook outbox: deliveries wait in the store, with their attempts and next try,
 * until a worker delivers them, so a restart loses none.
 */
function webhookOutbox(dialect: Dialect): Migration {
  const time = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('webhook_outbox').ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_try_at', time, (c) => c.notNull())
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', time)
        .addColumn('delivered_at', time)
        .addColumn('last_error', 'text')
        .addColumn('created_at', time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('webhook_outbox_due').ifNotExists()
        .on('webhook_outbox').columns(['delivered_at', 'next_try_at']).execute();
    },
  };
}

/** Migrations in the order they apply; append new ones, never edit a shipped one. */
function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_initial': initial(dialect), '0002_engine_state': engineState, '0003_webhook_options': webhookOptions,
    '0004_unfinished_index': unfinishedIndex,
    '0005_idempotency_lease': idempotencyLease(dialect), '0006_webhook_outbox': webhookOutbox(dialect),
  };
}

/** The names of every migration, in order (what a fully migrated database has recorded). */
export function migrationNames(): string[] {
  return Object.keys(migrations('sqlite'));
}

/** Bring the schema up to date; a no-op when it already is. */
export async function migrate(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'retake_migration',
    migrationLockTableName: 'retake_migration_lock',
  });
  const { error } = dialect === 'sqlite'
    ? await withSqliteWriteLock(db, () => migrator.migrateToLatest())
    : await migrator.migrateToLatest();
  if (error !== undefined) {
    throw new RetakeError('service_unavailable', 'Could not migrate the database schema', { cause: error });
  }
}

/**
 * Run `fn` inside BEGIN IMMEDIATE: a second process opening the file waits (busy
 * timeout) until the first has migrated, then finds nothing left to do. Kysely's
 * SQLite driver has one connection, so the Migrator's statements run inside it.
 */
async function withSqliteWriteLock<T extends { error?: unknown }>(db: Kysely<unknown>, fn: () => Promise<T>): Promise<T> {
  await sql`begin immediate`.execute(db);
  const result = await fn().catch((error: unknown) => ({ error }) as T);
  await sql.raw(result.error === undefined ? 'commit' : 'rollback').execute(db);
  return result;
}
