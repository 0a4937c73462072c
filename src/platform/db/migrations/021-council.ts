import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect.ts';

/** Council proposals and the members' positions on them (src/contexts/council). */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('council_proposals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('procedure', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('membership_date', 'text', (c) => c.notNull())
    .addColumn('members', 'text', (c) => c.notNull())
    .addColumn('silence_ends_at', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('host', 'text')
    .addColumn('refs', 'text', (c) => c.notNull())
    .addColumn('assessment', 'text')
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('supersedes', 'text')
    .addColumn('superseded_by', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('council_proposals_due')
    .on('council_proposals')
    .columns(['status', 'silence_ends_at'])
    .execute();
  await db.schema.createIndex('council_proposals_created').on('council_proposals').columns(['created_at']).execute();
  await db.schema
    .createTable('council_positions')
    .addColumn('proposal_id', 'text', (c) => c.notNull().references('council_proposals.id'))
    .addColumn('org', 'text', (c) => c.notNull())
    .addColumn('position', 'text', (c) => c.notNull())
    .addColumn('statement', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('by_user', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('council_positions_pk', ['proposal_id', 'org'])
    .execute();
}
