import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect.ts';

/** Open sources (src/contexts/sources): sources, documents, resolved entities, mentions, claims, links, edits. */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  const s = db.schema;
  await s
    .createTable('sources_sources')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('reliability', 'text', (c) => c.notNull())
    .addColumn('poll_seconds', 'integer')
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('next_poll_at', 'text')
    .addColumn('last_polled_at', 'text')
    .addColumn('last_error', 'text')
    .execute();
  await s.createIndex('sources_sources_author').on('sources_sources').columns(['author', 'created_at']).execute();
  await s.createIndex('sources_sources_due').on('sources_sources').columns(['next_poll_at']).execute();
  await s
    .createTable('sources_feed_items')
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('item_key', 'text', (c) => c.notNull())
    .addColumn('doc_id', 'text')
    .addColumn('taken_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sources_feed_items_pk', ['source_id', 'item_key'])
    .execute();
  await s
    .createTable('sources_documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text')
    .addColumn('title', 'text')
    .addColumn('url', 'text')
    .addColumn('published_at', 'text')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('reliability', 'text')
    .addColumn('credibility', 'integer')
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('sources_documents_created').on('sources_documents').columns(['created_at', 'id']).execute();
  await s
    .createTable('sources_doc_bands')
    .addColumn('band', 'text', (c) => c.notNull())
    .addColumn('doc_id', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sources_doc_bands_pk', ['band', 'doc_id'])
    .execute();
  await s.createIndex('sources_doc_bands_doc').on('sources_doc_bands').columns(['doc_id']).execute();
  await s
    .createTable('sources_entities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('gazetteer_key', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // What each document says around an entity (role words, co-mentioned organisations): context for resolution.
  await s
    .createTable('sources_entity_context')
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('doc_id', 'text', (c) => c.notNull())
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('orgs', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sources_entity_context_pk', ['entity_id', 'doc_id'])
    .execute();
  await s.createIndex('sources_entity_context_doc').on('sources_entity_context').columns(['doc_id']).execute();
  await s
    .createTable('sources_entity_keys')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sources_entity_keys_pk', ['key', 'entity_id'])
    .execute();
  await s.createIndex('sources_entity_keys_entity').on('sources_entity_keys').columns(['entity_id']).execute();
  await s
    .createTable('sources_mentions')
    .addColumn('doc_id', 'text', (c) => c.notNull())
    .addColumn('pos_start', 'integer', (c) => c.notNull())
    .addColumn('pos_end', 'integer', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('fold', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sources_mentions_pk', ['doc_id', 'pos_start'])
    .execute();
  await s.createIndex('sources_mentions_entity').on('sources_mentions').columns(['entity_id', 'doc_id']).execute();
  await s
    .createIndex('sources_mentions_fold')
    .on('sources_mentions')
    .columns(['fold', 'entity_id', 'doc_id'])
    .execute();
  await s
    .createTable('sources_suffixes')
    .addColumn('suffix', 'text', (c) => c.notNull())
    .addColumn('fold', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sources_suffixes_pk', ['suffix', 'fold'])
    .execute();
  await s.createIndex('sources_suffixes_fold').on('sources_suffixes').columns(['fold']).execute();
  await s
    .createTable('sources_claims')
    .addColumn('doc_id', 'text', (c) => c.notNull())
    .addColumn('pos_start', 'integer', (c) => c.notNull())
    .addColumn('pos_end', 'integer', (c) => c.notNull())
    .addColumn('speaker', 'text')
    .addColumn('text', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sources_claims_pk', ['doc_id', 'pos_start'])
    .execute();
  await s.createIndex('sources_claims_speaker').on('sources_claims').columns(['speaker', 'doc_id']).execute();
  await s
    .createTable('sources_links')
    .addColumn('doc_id', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('other_id', 'text', (c) => c.notNull())
    .addColumn('score', 'real', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sources_links_pk', ['doc_id', 'entity_id', 'kind', 'other_id'])
    .execute();
  await s.createIndex('sources_links_entity').on('sources_links').columns(['entity_id']).execute();
  await s.createIndex('sources_links_other').on('sources_links').columns(['other_id']).execute();
  await s
    .createTable('sources_edits')
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('org', 'text', (c) => c.notNull())
    .addColumn('op', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('other_id', 'text')
    .addColumn('fold', 'text')
    .addColumn('new_id', 'text')
    .addColumn('by_user', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sources_edits_pk', ['org', 'seq'])
    .execute();
}
