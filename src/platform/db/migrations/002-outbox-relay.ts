import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../dialect.ts';

/** The relay looks for unpublished outbox rows on every nudge and poll: keep that lookup indexed. */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema
    .createIndex('outbox_unpublished')
    .on('outbox')
    .column('seq')
    .where(sql.ref('event_id'), 'is', null)
    .execute();
  await db.schema.createIndex('outbox_created').on('outbox').column('created_at').execute();
}
