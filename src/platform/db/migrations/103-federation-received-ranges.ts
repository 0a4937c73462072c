import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect.ts';

/**
 * What a node received from each peer's node, as ranges of this store's date_added (echo suppression:
 * not sent back to that node). One storing of a page writes its versions under consecutive date_added
 * values while it holds the store's write lock, so one row per page replaces a row per version in
 * federation_received (migration 080), which keeps the versions rebuilt from narrowing notices and what
 * was received before this migration. The feed finds a version's range by the last `from_us` at or
 * before it.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('federation_received_ranges')
    .addColumn('node', 'text', (c) => c.notNull())
    .addColumn('from_us', 'bigint', (c) => c.notNull())
    .addColumn('to_us', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('federation_received_ranges_pk', ['node', 'from_us'])
    .execute();
}
