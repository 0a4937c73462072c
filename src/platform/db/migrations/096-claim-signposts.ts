import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect.ts';

/**
 * A claim of an open-source document linked to an outlook signpost (sources_signpost_links), and proposed
 * observations that come from such a claim rather than from a resolved question (origin, note, confidence).
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema
    .alterTable('outlook_proposed_observations')
    .addColumn('origin', 'text', (c) => c.notNull().defaultTo('question'))
    .execute();
  await db.schema.alterTable('outlook_proposed_observations').addColumn('note', 'text').execute();
  await db.schema.alterTable('outlook_proposed_observations').addColumn('confidence', 'real').execute();
  await db.schema
    .createTable('sources_signpost_links')
    .addColumn('doc_id', 'text', (c) => c.notNull())
    .addColumn('pos_start', 'integer', (c) => c.notNull())
    .addColumn('set_id', 'text', (c) => c.notNull())
    .addColumn('signpost', 'text', (c) => c.notNull())
    .addColumn('observed', 'integer', (c) => c.notNull())
    .addColumn('proposal_id', 'text', (c) => c.notNull())
    .addColumn('org', 'text', (c) => c.notNull())
    .addColumn('by_user', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sources_signpost_links_pk', ['doc_id', 'pos_start', 'set_id', 'signpost'])
    .execute();
}
