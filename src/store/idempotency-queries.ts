/** Idempotency-Key records: claim once, then store the answer or drop the claim. */
import type { Kysely } from 'kysely';
import { RetakeError } from '../errors/index.ts';
import { decodeIdempotency } from './codec.ts';
import type { Database } from './schema.ts';
import type { Store } from './types.ts';

export function idempotencyQueries(db: Kysely<Database>): Store['idempotency'] {
  return {
    async claim(row) {
      // A pending row can be released between our failed insert and the read; then
      // the key is free again and the next round claims it.
      for (let round = 0; round < 3; round++) {
        const inserted = await db.insertInto('idempotency')
          .values({ ...row, owner: row.owner ?? null, expires_at: row.expires_at ?? null, status_code: null, response: null })
          .onConflict((oc) => oc.columns(['key_id', 'idem_key']).doNothing())
          .returning('key_id')
          .executeTakeFirst();
        if (inserted) return undefined;
        const existing = await db.selectFrom('idempotency').selectAll()
          .where('key_id', '=', row.key_id)
          .where('idem_key', '=', row.idem_key)
          .executeTakeFirst();
        if (existing) return decodeIdempotency(existing);
      }
      throw new RetakeError('service_unavailable', 'Idempotency-Key is contended; retry the request');
    },

    async complete(keyId, idemKey, statusCode, response) {
      await db.updateTable('idempotency')
        .set({ status_code: statusCode, response: JSON.stringify(response ?? null) })
        .where('key_id', '=', keyId)
        .where('idem_key', '=', idemKey)
        .execute();
    },

    async takeOver(keyId, idemKey, seen, owner, expiresAt) {
      let query = db.updateTable('idempotency')
        .set({ owner, expires_at: expiresAt })
        .where('key_id', '=', keyId)
        .where('idem_key', '=', idemKey)
        .where('status_code', 'is', null);
      query = seen.owner === null ? query.where('owner', 'is', null) : query.where('owner', '=', seen.owner);
      query = seen.expires_at === null ? query.where('expires_at', 'is', null) : query.where('expires_at', '=', seen.expires_at);
      const result = await query.executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async renew(keyId, idemKey, owner, expiresAt) {
      await db.updateTable('idempotency')
        .set({ expires_at: expiresAt })
        .where('key_id', '=', keyId)
        .where('idem_key', '=', idemKey)
        .where('owner', '=', owner)
        .where('status_code', 'is', null)
        .execute();
    },

    async attach(keyId, idemKey, resource) {
      await db.updateTable('idempotency')
        .set({ resource: JSON.stringify(resource ?? null) })
        .where('key_id', '=', keyId)
        .where('idem_key', '=', idemKey)
        .execute();
    },

    async release(keyId, idemKey) {
      // Only a pending claim is dropped; a stored answer stays replayable.
      await db.deleteFrom('idempotency')
        .where('key_id', '=', keyId)
        .where('idem_key', '=', idemKey)
        .where('status_code', 'is', null)
        .execute();
    },
  };
}
