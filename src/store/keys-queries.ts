/** API key rows: insert, look up by hash / id / name, list, revoke. */
import type { Kysely } from 'kysely';
import { decodeKey, encodeKey } from './codec.ts';
import type { Database } from './schema.ts';
import type { Store } from './types.ts';

export function keysQueries(db: Kysely<Database>): Store['keys'] {
  return {
    async insert(row) {
      await db.insertInto('api_keys').values(encodeKey(row)).execute();
    },

    async findByHash(hash) {
      const row = await db.selectFrom('api_keys').selectAll().where('hash', '=', hash).executeTakeFirst();
      return row && decodeKey(row);
    },

    async find(idOrName) {
      const byId = await db.selectFrom('api_keys').selectAll().where('id', '=', idOrName).executeTakeFirst();
      if (byId) return decodeKey(byId);
      // Names are not unique in the table (a rotated bootstrap key keeps its name), so
      // prefer the active key, then the newest.
      const byName = await db.selectFrom('api_keys').selectAll()
        .where('name', '=', idOrName)
        .orderBy((eb) => eb.case().when('revoked_at', 'is', null).then(0).else(1).end())
        .orderBy('created_at', 'desc')
        .executeTakeFirst();
      return byName && decodeKey(byName);
    },

    async list() {
      const rows = await db.selectFrom('api_keys').selectAll().orderBy('created_at').orderBy('id').execute();
      return rows.map(decodeKey);
    },

    async revoke(idOrName, at) {
      // Revoking by name revokes every active key of that name: the safe reading of
      // "revoke this key" when names repeat.
      const result = await db.updateTable('api_keys')
        .set({ revoked_at: at })
        .where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)]))
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}
