/**
 * `retake keys create|list|revoke`: API key management straight against the store
 * (SQLite file under the data dir, or RETAKE_DATABASE_URL), so no server has to run.
 * Each command says on stderr which database it uses; only `create` makes a new one.
 */
import { loadConfig } from '../../config.ts';
import type { ApiKeyRow } from '../../store/types.ts';
import { openKeys } from '../open-keys.ts';
import { formatTable, formatTime, formatUsd, UsageError } from '../output.ts';

type Print = (text: string) => void;

export interface KeysCreateOptions {
  name: string;
  /** Grant HDR access. Default false. */
  hdr?: boolean;
  /** Total spend allowed, in USD, as typed. Default: no limit. */
  budget?: string;
  /** Print JSON (`{key, secret}`) instead of text. Default false. */
  json?: boolean;
}

function parseBudget(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const usd = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(usd) || usd < 0) {
    throw new UsageError(`--budget must be a non-negative amount in USD, got "${raw}"`);
  }
  return usd;
}

function publicView(key: ApiKeyRow): Record<string, unknown> {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    hdr_access: key.hdr_access,
    budget_usd: key.budget_usd,
    created_at: new Date(key.created_at).toISOString(),
    revoked_at: key.revoked_at === null ? null : new Date(key.revoked_at).toISOString(),
  };
}

/** Create a key and print its secret, the only time it is ever shown. */
export async function keysCreateCommand(options: KeysCreateOptions, print: Print = console.log): Promise<void> {
  const name = options.name.trim();
  if (!name) throw new UsageError('--name must not be empty');
  const budgetUsd = parseBudget(options.budget);
  const keys = await openKeys(loadConfig(), { create: true });
  try {
    const { key, secret } = await keys.service.create({ name, hdrAccess: options.hdr ?? false, budgetUsd });
    if (options.json) {
      print(JSON.stringify({ key: publicView(key), secret }, null, 2));
      return;
    }
    const budget = key.budget_usd === null ? 'no budget limit' : `budget ${formatUsd(key.budget_usd)}`;
    print(`Created key "${key.name}" (id ${key.id}, HDR access ${key.hdr_access ? 'yes' : 'no'}, ${budget}).`);
    print('Secret (shown only now; store it somewhere safe):');
    print('');
    print(`  ${secret}`);
    print('');
  } finally {
    await keys.close();
  }
}

export interface KeysListOptions {
  /** Print JSON instead of a table. Default false. */
  json?: boolean;
}

/** List every key, revoked ones included; secrets are never shown, only their prefix. */
export async function keysListCommand(options: KeysListOptions, print: Print = console.log): Promise<void> {
  const keys = await openKeys(loadConfig());
  try {
    const rows = await keys.service.list();
    if (options.json) {
      print(JSON.stringify(rows.map(publicView), null, 2));
      return;
    }
    if (rows.length === 0) {
      print('No API keys yet. Create one with: retake keys create --name NAME');
      return;
    }
    print(
      formatTable(
        ['ID', 'NAME', 'PREFIX', 'HDR', 'BUDGET', 'CREATED', 'REVOKED'],
        rows.map((k) => [
          k.id,
          k.name,
          k.prefix,
          k.hdr_access ? 'yes' : 'no',
          k.budget_usd === null ? '-' : formatUsd(k.budget_usd),
          formatTime(k.created_at),
          formatTime(k.revoked_at),
        ]),
      ),
    );
  } finally {
    await keys.close();
  }
}

/** Revoke a key by id or name; its secret stops authenticating at once. */
export async function keysRevokeCommand(idOrName: string, print: Print = console.log): Promise<void> {
  const keys = await openKeys(loadConfig());
  try {
    const revoked = await keys.service.revoke(idOrName);
    if (!revoked) throw new UsageError(`no active key with id or name "${idOrName}" (see: retake keys list)`);
    print(`Revoked key "${idOrName}".`);
  } finally {
    await keys.close();
  }
}
