/**
 * The store: keys, generations, events, idempotency records and the embedded job
 * queue in one database. SQLite (a file under the data dir) by default; PostgreSQL
 * when a database URL is given. Both run the same queries (`kysely-store.ts`).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDialectConfig, type SqliteStatement } from 'kysely';
import { RetakeError } from '../errors/index.ts';
import { createKyselyStore } from './kysely-store.ts';
import { migrate, type Dialect } from './migrations.ts';
import type { Database } from './schema.ts';
import type { Store } from './types.ts';

export * from './types.ts';

export interface OpenStoreOptions {
  /** Directory of the SQLite file `retake.db` (created if missing). */
  dataDir: string;
  /** PostgreSQL connection URL; when set, SQLite is not used. Default: unset. */
  databaseUrl?: string | undefined;
}

/** How long a SQLite writer waits for another process's write lock before failing. */
const SQLITE_BUSY_TIMEOUT_MS = 5000;

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * Open (and migrate) the store. Throws `service_unavailable` when the database cannot
 * be reached or migrated.
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const dialect: Dialect = options.databaseUrl ? 'postgres' : 'sqlite';
  let db: Kysely<Database> | undefined;
  try {
    db = options.databaseUrl ? await openPostgres(options.databaseUrl) : openSqlite(options.dataDir);
    await migrate(db as Kysely<unknown>, dialect);
    return createKyselyStore(db, dialect);
  } catch (err) {
    await db?.destroy().catch(() => undefined);
    if (err instanceof RetakeError) throw err;
    const where = dialect === 'postgres' ? 'the PostgreSQL database' : 'the SQLite database';
    throw new RetakeError('service_unavailable', `Could not open ${where}`, { cause: err });
  }
}

function openSqlite(dataDir: string): Kysely<Database> {
  mkdirSync(dataDir, { recursive: true });
  const database = new SqliteDatabase(join(dataDir, 'retake.db'));
  // WAL lets API readers run beside a writing worker; NORMAL sync is durable across
  // process crashes (only an OS crash can drop the last commits).
  database.pragma('journal_mode = WAL');
  database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  database.pragma('foreign_keys = ON');
  database.pragma('synchronous = NORMAL');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
}

/** Most distinct SQL strings kept prepared; the store issues a few dozen shapes. */
const STATEMENT_CACHE_MAX = 500;

/**
 * Kysely's SQLite driver prepares every query anew, which was a tenth of the CPU of a
 * status poll. The store runs a small fixed set of query shapes, so keep them prepared.
 * Safe because every query runs to completion synchronously (the store never streams).
 */
function withStatementCache(database: SqliteDatabase.Database): SqliteDialectConfig['database'] {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => database.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        if (statements.size >= STATEMENT_CACHE_MAX) statements.clear();
        statement = withRowBuilder(database.prepare(sql));
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

/**
 * A reading statement whose rows come back as arrays and are made into objects by a
 * function compiled for its columns. better-sqlite3 builds each row object one
 * property at a time from C++: for the 22 columns of a generation that made a status
 * read about 60% dearer than reading the same row as an array, while an object
 * literal of fixed shape costs next to nothing. Column names go into the literal as
 * JSON strings, so any name is safe. Rows are as before: one property per column
 * name, the last of a repeated name wins.
 */
function withRowBuilder(statement: SqliteDatabase.Statement): SqliteStatement {
  if (!statement.reader) return statement;
  const names = statement.columns().map((c) => c.name);
  // Computed keys: a plain `"__proto__": v` in a literal would set the prototype instead.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the source holds only quoted column names and indexes
  const row = new Function('r', `return {${names.map((name, i) => `[${JSON.stringify(name)}]: r[${i}]`).join(', ')}};`) as (values: unknown[]) => unknown;
  const arrays = statement.raw(true);
  return {
    reader: true,
    all: (parameters: readonly unknown[]) => (arrays.all(parameters) as unknown[][]).map(row),
    run: (parameters: readonly unknown[]) => arrays.run(parameters),
    * iterate(parameters: readonly unknown[]) {
      for (const values of arrays.iterate(parameters) as IterableIterator<unknown[]>) yield row(values);
    },
  };
}

/** pg (and its pool) load only in scale-out mode; the embedded default never pays for them. */
async function openPostgres(url: string): Promise<Kysely<Database>> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: url,
    // Epoch-ms times are bigint and SUM() is numeric: both fit a JS number exactly,
    // so parse them as numbers for this pool only (not pg's global parsers).
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID || oid === NUMERIC_OID
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its connection must not crash the process; the pool
  // replaces it and the next query reports the problem.
  pool.on('error', () => undefined);
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
