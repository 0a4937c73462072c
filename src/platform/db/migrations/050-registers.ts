import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect.ts';

/**
 * The registers (src/contexts/registers): support to partners with its status history and a derived
 * summary table, the diplomatic track, humanitarian needs. Amounts are whole hundredths (bigint).
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('support_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('avenue', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint')
    .addColumn('currency', 'text')
    .addColumn('pledged_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('source', 'text')
    .addColumn('source_grade', 'text')
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('modified', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('support_entries_pledged').on('support_entries').columns(['pledged_at', 'id']).execute();
  await db.schema.createIndex('support_entries_recipient').on('support_entries').columns(['recipient']).execute();
  await db.schema.createIndex('support_entries_author').on('support_entries').columns(['author']).execute();
  await db.schema
    .createTable('support_history')
    .addColumn('entry_id', 'text', (c) => c.notNull().references('support_entries.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('by_user', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('support_history_pk', ['entry_id', 'seq'])
    .execute();
  // What entries of one release class (author, tlp, audience) hold per recipient, avenue, currency and
  // status: the summary scans these few rows, filtered by the same releasability SQL, not every entry.
  await db.schema
    .createTable('support_totals')
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('avenue', 'text', (c) => c.notNull())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('entries', 'bigint', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('support_totals_pk', [
      'recipient',
      'avenue',
      'author',
      'tlp',
      'audience',
      'currency',
      'status',
    ])
    .execute();
  await db.schema
    .createTable('diplomatic_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('parties', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('sources', 'text', (c) => c.notNull())
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('modified', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('diplomatic_events_started')
    .on('diplomatic_events')
    .columns(['started_at', 'id'])
    .execute();
  await db.schema
    .createTable('humanitarian_needs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('area', 'text', (c) => c.notNull())
    .addColumn('sector', 'text', (c) => c.notNull())
    .addColumn('people_in_need', 'bigint', (c) => c.notNull())
    .addColumn('people_reached', 'bigint')
    .addColumn('required_minor', 'bigint')
    .addColumn('required_currency', 'text')
    .addColumn('received_minor', 'bigint')
    .addColumn('received_currency', 'text')
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('modified', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('humanitarian_needs_area')
    .on('humanitarian_needs')
    .columns(['area', 'sector', 'as_of'])
    .execute();
  await db.schema.createIndex('humanitarian_needs_as_of').on('humanitarian_needs').columns(['as_of', 'id']).execute();
}
