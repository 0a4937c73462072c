import type { Kysely } from 'kysely';

/**
 * Anchors the audit chain (src/contexts/audit): each entry carries an HMAC of its hash under a key
 * kept outside the database (`key_id` names the key). Entries written before this have neither.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit_log').addColumn('key_id', 'text').execute();
  await db.schema.alterTable('audit_log').addColumn('mac', 'text').execute();
}
