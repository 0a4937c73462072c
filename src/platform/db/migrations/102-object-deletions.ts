import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect.ts';

/**
 * The versions deleted from the store (knowledge's remove; federation's received deletions), so that
 * a deletion can travel to the nodes that pulled the version (docs/federation.md). A deletion takes its
 * `added_us` from the store's one sequence of date_added (objects and deletions together), so that a
 * peer's `added_after` cursor sees writes and deletions in the order they committed. `json` holds what
 * names the version (type, id, created, modified), none of its content; `origin` is the node a
 * received deletion came from ('' for a deletion made here).
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('object_deletions')
    .addColumn('added_us', 'bigint', (c) => c.primaryKey())
    .addColumn('date_added', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('json', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('object_deletions_key')
    .on('object_deletions')
    .columns(['id', 'author', 'version'])
    .execute();
}
