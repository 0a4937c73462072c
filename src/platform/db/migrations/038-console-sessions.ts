import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect.ts';

/**
 * Console sessions (src/contexts/sharing/session.*): a browser holds an httpOnly cookie exchanged for an
 * API token. Only hashes are stored: of the session id (the cookie) and of the token it was made with,
 * whose revocation, expiry or disabled user ends the session too.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('console_sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('csrf', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('console_sessions_user').on('console_sessions').columns(['user_id']).execute();
  await db.schema.createIndex('console_sessions_expires').on('console_sessions').columns(['expires_at']).execute();
}
