import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect.ts';

/**
 * The generation of the support summary table (src/contexts/registers): one row whose counter every write
 * to `support_totals` raises in the same transaction, so a summary computed at generation n is exact for
 * as long as the counter still reads n (servers keep them per reader and recompute when it moves).
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('support_totals_generation')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('n', 'bigint', (c) => c.notNull())
    .execute();
  await (db as Kysely<{ support_totals_generation: { id: number; n: number } }>)
    .insertInto('support_totals_generation')
    .values({ id: 1, n: 0 })
    .execute();
}
