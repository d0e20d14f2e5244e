import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RetakeError } from '../errors/index.ts';
import { openStore } from '../store/index.ts';
import type { Store } from '../store/types.ts';
import { createKeyService, hashSecret } from './index.ts';
import { AUTH_CACHE_MS } from './key-service.ts';
import type { KeyService } from './types.ts';

const root = mkdtempSync(join(tmpdir(), 'retake-keys-'));
let n = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('key service', () => {
  let store: Store;
  let keys: KeyService;
  beforeEach(async () => {
    store = await openStore({ dataDir: join(root, String(++n)) });
    keys = createKeyService(store);
  });
  afterEach(async () => { await store.close(); });

  it('creates a key whose secret authenticates and is stored only as a hash', async () => {
    const { key, secret } = await keys.create({ name: 'ci', hdrAccess: true, budgetUsd: 20 });
    expect(secret).toMatch(/^rtk_[A-Za-z0-9_-]{43}$/);
    expect(key).toMatchObject({ name: 'ci', hdr_access: true, budget_usd: 20, revoked_at: null, prefix: secret.slice(0, 8) });
    expect(key.hash).toBe(hashSecret(secret));
    expect(JSON.stringify(await store.keys.list())).not.toContain(secret);
    expect(await keys.authenticate(secret)).toEqual(key);
  });

  it('gives every key its own secret and id, without HDR or budget by default', async () => {
    const a = await keys.create({ name: 'a' });
    const b = await keys.create({ name: 'b' });
    expect(a.secret).not.toBe(b.secret);
    expect(a.key.id).not.toBe(b.key.id);
    expect(a.key).toMatchObject({ hdr_access: false, budget_usd: null });
    expect((await keys.list()).map((k) => k.name).sort()).toEqual(['a', 'b']);
  });

  it('refuses wrong, empty and revoked secrets', async () => {
    const { secret } = await keys.create({ name: 'temp' });
    expect(await keys.authenticate(`${secret}x`)).toBeUndefined();
    expect(await keys.authenticate('')).toBeUndefined();
    expect(await keys.authenticate(secret)).toBeDefined(); // now cached
    expect(await keys.revoke('temp')).toBe(true);
    expect(await keys.authenticate(secret)).toBeUndefined();
    expect(await keys.revoke('temp')).toBe(false);
  });

  it('notices a key revoked by another process once the short auth cache expires', async () => {
    let t = 1_000_000;
    const server = createKeyService(store, { now: () => t });
    const cli = createKeyService(store);
    const { secret } = await cli.create({ name: 'shared' });
    expect(await server.authenticate(secret)).toBeDefined();
    await cli.revoke('shared');
    t += AUTH_CACHE_MS - 1;
    expect(await server.authenticate(secret)).toBeDefined();
    t += 2;
    expect(await server.authenticate(secret)).toBeUndefined();
  });

  it('remembers only a key it accepted, for the cache time, and forgets it once revoked here', async () => {
    let t = 1_000_000;
    const server = createKeyService(store, { now: () => t });
    const { secret, key } = await server.create({ name: 'polled' });
    // Never accepted yet, or never valid: the caller must ask the store.
    expect(server.remembered(secret)).toBeUndefined();
    expect(server.remembered(`${secret}x`)).toBeUndefined();
    expect(await server.authenticate(secret)).toEqual(key);
    expect(server.remembered(secret)).toEqual(key);
    t += AUTH_CACHE_MS + 1;
    expect(server.remembered(secret)).toBeUndefined();
    expect(await server.authenticate(secret)).toEqual(key);
    await server.revoke('polled');
    expect(server.remembered(secret)).toBeUndefined();
  });

  it('refuses a second active key with the same name, but allows it once the first is revoked', async () => {
    await keys.create({ name: 'ci' });
    await expect(keys.create({ name: 'ci' })).rejects.toMatchObject({ code: 'validation_error' });
    await expect(keys.create({ name: '  ' })).rejects.toBeInstanceOf(RetakeError);
    await expect(keys.create({ name: 'x', budgetUsd: -1 })).rejects.toMatchObject({ code: 'validation_error' });
    await keys.revoke('ci');
    const again = await keys.create({ name: 'ci' });
    expect(await keys.authenticate(again.secret)).toMatchObject({ name: 'ci' });
  });

  it('ensures a bootstrap key idempotently, with the HDR access given', async () => {
    const first = await keys.ensure('my-bootstrap-secret', 'bootstrap', true);
    const second = await keys.ensure('my-bootstrap-secret', 'bootstrap', true);
    expect(second).toEqual(first);
    expect(first).toMatchObject({ name: 'bootstrap', hdr_access: true, prefix: 'my-boots' });
    expect(await keys.authenticate('my-bootstrap-secret')).toEqual(first);
    expect(await keys.list()).toHaveLength(1);
    const other = await keys.ensure('rtk_other', 'bootstrap', false);
    expect(other.id).not.toBe(first.id);
    expect(other.hdr_access).toBe(false);
  });

  it('survives two stores (as two processes would) ensuring the same key at once', async () => {
    const dataDir = join(root, `shared-${++n}`);
    const a = await openStore({ dataDir });
    const b = await openStore({ dataDir });
    const [x, y] = await Promise.all([
      createKeyService(a).ensure('rtk_shared', 'bootstrap', true),
      createKeyService(b).ensure('rtk_shared', 'bootstrap', true),
    ]);
    expect(x.id).toBe(y.id);
    expect(await a.keys.list()).toHaveLength(1);
    await Promise.all([a.close(), b.close()]);
  });
});
