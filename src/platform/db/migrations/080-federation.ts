import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect.ts';

/**
 * Federation between nodes (src/contexts/federation): the peers a node pulls from, with their sealed
 * tokens and pull state, and the versions received from each peer's node (echo suppression: they are
 * not sent back to it; versions rebuilt from a narrowing notice are sent to nobody).
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('federation_peers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('authors', 'text')
    .addColumn('ca', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('remote_node', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('cursor', 'text')
    .addColumn('lag_ms', 'bigint')
    .addColumn('received', 'bigint', (c) => c.notNull())
    .addColumn('refused', 'bigint', (c) => c.notNull())
    .addColumn('duplicates', 'bigint', (c) => c.notNull())
    .addColumn('errors', 'bigint', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('last_error_at', 'text')
    .addColumn('last_pull_at', 'text')
    .addColumn('caught_up_at', 'text')
    .execute();
  await db.schema
    .createTable('federation_received')
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('node', 'text', (c) => c.notNull())
    .addColumn('notice', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('federation_received_pk', ['id', 'author', 'version', 'node'])
    .execute();
}
