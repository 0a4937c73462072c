import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect.ts';

/** Resolution reads each candidate's distinct alias folds: a covering index instead of a scan of its mentions. */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema
    .createIndex('sources_mentions_entity_fold')
    .on('sources_mentions')
    .columns(['entity_id', 'fold'])
    .execute();
}
