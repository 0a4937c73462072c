import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect.ts';

/**
 * Suggested campaigns read the strong links newest first (capped), and the picture counts links changed
 * since a time: both scanned and sorted the whole links table. An index on updated_at serves both in order.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema.createIndex('intel_links_updated').on('intel_links').columns(['updated_at']).execute();
}
