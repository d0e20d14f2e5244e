/**
 * Opens the key service on the configured store for one CLI command (no queue, no
 * engines, no server), and closes the store afterwards. It says which database it
 * opened, because a command run from another folder would otherwise read a different
 * `./.retake` without a word; and only `keys create` may create one.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { createKeyService } from '../keys/index.ts';
import type { KeyService } from '../keys/types.ts';
import { openStore } from '../store/index.ts';
import { UsageError } from './output.ts';

export interface OpenKeys {
  service: KeyService;
  close(): Promise<void>;
}

export interface OpenKeysOptions {
  /** Create the SQLite database when the data folder has none (`keys create`). Default false. */
  create?: boolean;
  /** Where the "using ..." line goes. Default: stderr, so `--json` output stays clean. */
  note?: (line: string) => void;
}

/** The SQLite file of a data folder. */
export const sqlitePath = (dataDir: string): string => join(dataDir, 'retake.db');

/** A database URL fit to print: the password replaced. */
function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'RETAKE_DATABASE_URL';
  }
}

/**
 * The key service over `config`'s store (SQLite under dataDir, or databaseUrl). Throws a
 * UsageError naming the folder and the way out when there is no SQLite database to read.
 */
export async function openKeys(config: Config, options: OpenKeysOptions = {}): Promise<OpenKeys> {
  const note = options.note ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (config.databaseUrl) {
    note(`retake: using the PostgreSQL database ${withoutPassword(config.databaseUrl)}`);
  } else {
    const file = sqlitePath(config.dataDir);
    if (!options.create && !existsSync(file)) {
      throw new UsageError(
        `no retake database in ${config.dataDir} (nothing has been served from this data folder). ` +
          "Run the command where the server runs, or set RETAKE_DATA_DIR to the server's data folder " +
          '(RETAKE_DATABASE_URL for PostgreSQL).',
      );
    }
    note(`retake: using the data folder ${config.dataDir} (${existsSync(file) ? 'SQLite retake.db' : 'new SQLite retake.db'})`);
  }
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  return { service: createKeyService(store), close: () => store.close() };
}
