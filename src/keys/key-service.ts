/**
 * API keys: secrets are `rtk_` + 32 random bytes (base64url), shown once at creation
 * and stored only as their sha256. A request's key is found by hashing the bearer
 * secret and looking the hash up, so the secret is never compared byte by byte.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createAuthFailures } from './auth-failures.ts';
import { RetakeError } from '../errors/index.ts';
import type { ApiKeyRow, Store } from '../store/types.ts';
import type { KeyService } from './types.ts';

const SECRET_PREFIX = 'rtk_';
/** Characters of the secret kept for display (`rtk_ab12`): enough to tell keys apart. */
const DISPLAY_PREFIX_LENGTH = 8;

/** sha256 hex of a secret, as stored in `api_keys.hash`. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A fresh secret: `rtk_` + 32 random bytes, base64url. */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64url');
}

function newKeyId(): string {
  return `key_${randomBytes(8).toString('hex')}`;
}

/**
 * How long an authenticated key is remembered. Every API call authenticates, and the
 * lookup was half the cost of a status poll; a key revoked from another process (the
 * CLI) stops working within this time, one revoked through this service at once.
 */
export const AUTH_CACHE_MS = 5000;
const AUTH_CACHE_MAX = 10_000;

/**
 * The key service over `store`'s `api_keys` table.
 * @param options.now clock for the authentication cache (tests).
 */
export function createKeyService(store: Store, options: { now?: () => number; failuresPerMinute?: number } = {}): KeyService {
  const now = options.now ?? Date.now;
  const failures = createAuthFailures({ now, perMinute: options.failuresPerMinute });
  const cache = new Map<string, { key: ApiKeyRow; until: number }>();
  // The hook asks `remembered` and, on a miss, `authenticate` with the same secret in
  // one turn of the event loop: the last hash is kept so the secret is hashed once.
  let last = { secret: '', hash: hashSecret('') };
  const hashOf = (secret: string): string => {
    if (secret !== last.secret) last = { secret, hash: hashSecret(secret) };
    return last.hash;
  };
  const cachedKey = (hash: string): ApiKeyRow | undefined => {
    const cached = cache.get(hash);
    return cached && cached.until > now() ? cached.key : undefined;
  };
  const lookUp = async (secret: string): Promise<ApiKeyRow | undefined> => {
    const hash = hashOf(secret);
    const cached = cachedKey(hash);
    if (cached) return cached;
    const key = await store.keys.findByHash(hash);
    if (!key || key.revoked_at !== null) return undefined;
    // The lookup already matched; the constant-time check guards against a store
    // whose comparison is looser than byte equality (collation, trimming).
    const match = timingSafeEqual(Buffer.from(key.hash, 'utf8'), Buffer.from(hash, 'utf8'));
    if (!match) return undefined;
    if (cache.size >= AUTH_CACHE_MAX) cache.clear();
    cache.set(hash, { key, until: now() + AUTH_CACHE_MS });
    return key;
  };
  const insert = async (secret: string, name: string, hdrAccess: boolean, budgetUsd: number | null) => {
    const key: ApiKeyRow = {
      id: newKeyId(),
      name,
      hash: hashSecret(secret),
      prefix: secret.slice(0, DISPLAY_PREFIX_LENGTH),
      hdr_access: hdrAccess,
      budget_usd: budgetUsd,
      created_at: Date.now(),
      revoked_at: null,
    };
    await store.keys.insert(key);
    return key;
  };

  return {
    async create({ name, hdrAccess = false, budgetUsd = null }) {
      const trimmed = name.trim();
      if (!trimmed) {
        throw new RetakeError('validation_error', 'A key needs a name', { fields: [{ field: 'name', message: 'must not be empty' }] });
      }
      if (budgetUsd !== null && !(Number.isFinite(budgetUsd) && budgetUsd >= 0)) {
        throw new RetakeError('validation_error', 'Budget must be a non-negative amount in USD', {
          fields: [{ field: 'budget_usd', message: 'must be a non-negative number or null' }],
        });
      }
      // Names identify keys in `keys revoke <name>`, so two active keys may not share one.
      const existing = await store.keys.find(trimmed);
      if (existing && existing.revoked_at === null && existing.name === trimmed) {
        throw new RetakeError('validation_error', `An active key named "${trimmed}" already exists`, {
          fields: [{ field: 'name', message: 'is already used by an active key' }],
        });
      }
      const secret = generateSecret();
      const key = await insert(secret, trimmed, hdrAccess, budgetUsd);
      return { key, secret };
    },

    async authenticate(secret, from) {
      if (!secret) return undefined;
      if (from !== undefined) failures.check(from);
      const key = await lookUp(secret);
      if (!key && from !== undefined) failures.failed(from);
      return key;
    },

    remembered(secret, from) {
      if (!secret) return undefined;
      if (from !== undefined) failures.check(from);
      return cachedKey(hashOf(secret));
    },

    list() {
      return store.keys.list();
    },

    async revoke(idOrName) {
      cache.clear();
      return store.keys.revoke(idOrName, Date.now());
    },

    async ensure(secret, name, hdrAccess) {
      if (!secret) throw new RetakeError('validation_error', 'The key to ensure must not be empty');
      const hash = hashSecret(secret);
      const existing = await store.keys.findByHash(hash);
      if (existing) return existing;
      try {
        return await insert(secret, name, hdrAccess, null);
      } catch (err) {
        // Another process ensuring the same secret at the same time won the insert.
        const raced = await store.keys.findByHash(hash);
        if (raced) return raced;
        throw err;
      }
    },
  };
}
