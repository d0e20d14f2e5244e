/**
 * Opens the key service on the configured store for one CLI command (no queue, no
 * engines, no server), and closes the store afterwards.
 */
import type { Config } from '../config.ts';
import { createKeyService } from '../keys/index.ts';
import type { KeyService } from '../keys/types.ts';
import { openStore } from '../store/index.ts';

export interface OpenKeys {
  service: KeyService;
  close(): Promise<void>;
}

/** The key service over `config`'s store (SQLite under dataDir, or databaseUrl). */
export async function openKeys(config: Config): Promise<OpenKeys> {
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  return { service: createKeyService(store), close: () => store.close() };
}
