/** Generation rows: insert, read, filtered pages, spend, patches and status compare-and-set. */
import type { CompiledQuery, Kysely, Selectable } from 'kysely';
import { decodeGeneration, encodePatch, num } from './codec.ts';
import { addFinalDelivery } from './outbox-queries.ts';
import type { Database, GenerationsTable } from './schema.ts';
import { TERMINAL_STATUSES, type GenerationFilter, type GenerationStatus, type Store } from './types.ts';

export function generationsQueries(db: Kysely<Database>): Store['generations'] {
  // The status poll's query, built and compiled once: Kysely's builder and compiler cost
  // more than the indexed read itself. Each call runs it with the id in place of ''.
  const byId = db.selectFrom('generations').selectAll().where('id', '=', '').compile();
  const get = async (id: string) => {
    const query: CompiledQuery<Selectable<GenerationsTable>> = { ...byId, parameters: [id] };
    const [row] = (await db.executeQuery(query)).rows;
    return row && decodeGeneration(row);
  };

  const filtered = (filter: GenerationFilter) =>
    db.selectFrom('generations')
      .where('key_id', '=', filter.key_id)
      .$if(filter.status !== undefined, (qb) => qb.where('status', '=', filter.status!))
      .$if(filter.model !== undefined, (qb) => qb.where('model', '=', filter.model!));

  /**
   * The rows of one page: offset paging, or keyset paging from a position. Reading
   * towards newer rows (`after`) walks the order backwards, nearest first, and turns the
   * page round so it is newest first like every other.
   */
  const page = async (filter: GenerationFilter) => {
    const from = filter.after ?? filter.before;
    const [op, direction] = filter.after ? (['>', 'asc'] as const) : (['<', 'desc'] as const);
    const rows = await filtered(filter).selectAll()
      .$if(from !== undefined, (qb) => qb.where((eb) => eb.or([
        eb('enqueued_at', op, from!.enqueued_at), eb.and([eb('enqueued_at', '=', from!.enqueued_at), eb('id', op, from!.id)]),
      ])))
      .orderBy('enqueued_at', direction).orderBy('id', direction)
      .limit(filter.limit).offset(filter.offset)
      .execute();
    return filter.after ? rows.reverse() : rows;
  };

  return {
    get,

    async insert(row) {
      const inserted = await db.insertInto('generations')
        .values({
          ...row,
          request: JSON.stringify(row.request),
          webhook_options: row.webhook_options ? JSON.stringify(row.webhook_options) : null,
          status: 'queued',
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return decodeGeneration(inserted);
    },

    async list(filter) {
      const [rows, count] = await Promise.all([
        page(filter),
        filtered(filter).select((eb) => eb.fn.countAll().as('total')).executeTakeFirstOrThrow(),
      ]);
      return { rows: rows.map(decodeGeneration), total: num(count.total) };
    },

    async unfinished(limit) {
      const rows = await db.selectFrom('generations')
        .select(['id', 'status', 'enqueued_at'])
        .where('status', 'in', ['queued', 'processing'])
        .orderBy('enqueued_at', 'asc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ id: r.id, status: r.status as GenerationStatus, enqueued_at: num(r.enqueued_at) }));
    },

    async countUnfinished() {
      const rows = await db.selectFrom('generations')
        .select((eb) => ['status', eb.fn.countAll().as('n')])
        .where('status', 'in', ['queued', 'processing'])
        .groupBy('status')
        .execute();
      const count = (status: string) => num(rows.find((r) => r.status === status)?.n ?? 0);
      return { queued: count('queued'), processing: count('processing') };
    },

    async queuedBefore(keyId, enqueuedAt) {
      const row = await db.selectFrom('generations')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('key_id', '=', keyId)
        .where('status', '=', 'queued')
        .where('enqueued_at', '<', enqueuedAt)
        .executeTakeFirstOrThrow();
      return num(row.n);
    },

    async totalCost(keyId) {
      // A generation cancelled before it started is refunded.
      const row = await db.selectFrom('generations')
        .select((eb) => eb.fn.coalesce(eb.fn.sum('cost'), eb.lit(0)).as('total'))
        .where('key_id', '=', keyId)
        .where((eb) => eb.not(eb.and([eb('status', '=', 'cancelled'), eb('started_at', 'is', null)])))
        .executeTakeFirstOrThrow();
      return num(row.total);
    },

    async update(id, patch) {
      const values = encodePatch(patch);
      if (Object.keys(values).length === 0) return get(id);
      const row = await db.updateTable('generations').set(values).where('id', '=', id)
        .returningAll().executeTakeFirst();
      return row && decodeGeneration(row);
    },

    async transition(id, from, patch) {
      if (from.length === 0) return undefined;
      const values = encodePatch(patch);
      const move = async (trx: Kysely<Database>) => {
        // Setting the id to itself keeps the statement valid for an empty patch; the
        // WHERE on status is what makes this a compare-and-set.
        const row = await trx.updateTable('generations')
          .set(Object.keys(values).length > 0 ? values : { id })
          .where('id', '=', id)
          .where('status', 'in', [...from])
          .returningAll()
          .executeTakeFirst();
        return row && decodeGeneration(row);
      };
      if (patch.status === undefined || !TERMINAL_STATUSES.includes(patch.status)) return move(db);
      // The end of a generation and its webhook are one commit: a crash cannot keep one
      // and lose the other.
      return db.transaction().execute(async (trx) => {
        const row = await move(trx);
        if (row?.webhook_url) await addFinalDelivery(trx, row.id, row.webhook_url, Date.now());
        return row;
      });
    },
  };
}
