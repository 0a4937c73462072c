import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';

/** The open-sources tables (migration 060), typed for Kysely beside the shared schema. */
// A type alias (not an interface) so that Kysely's withTables accepts it as a record of tables.
export type SourcesTables = {
  sources_sources: {
    id: string;
    author: string;
    name: string;
    kind: string;
    url: string | null;
    reliability: string;
    poll_seconds: number | null;
    tlp: string;
    audience: string;
    created_by: string;
    created_at: string;
    next_poll_at: string | null;
    last_polled_at: string | null;
    last_error: string | null;
  };
  sources_feed_items: { source_id: string; item_key: string; doc_id: string | null; taken_at: string };
  sources_documents: {
    id: string;
    author: string;
    source_id: string | null;
    title: string | null;
    url: string | null;
    published_at: string | null;
    text: string;
    language: string;
    reliability: string | null;
    credibility: number | null;
    tlp: string;
    audience: string;
    created_by: string;
    created_at: string;
  };
  sources_doc_bands: { band: string; doc_id: string; signature: string };
  sources_entities: { id: string; kind: string; gazetteer_key: string | null; created_at: string };
  sources_entity_context: { entity_id: string; doc_id: string; roles: string; orgs: string };
  sources_entity_keys: { key: string; entity_id: string };
  sources_mentions: {
    doc_id: string;
    pos_start: number;
    pos_end: number;
    entity_id: string;
    fold: string;
    text: string;
  };
  sources_suffixes: { suffix: string; fold: string };
  sources_claims: { doc_id: string; pos_start: number; pos_end: number; speaker: string | null; text: string };
  sources_links: {
    doc_id: string;
    entity_id: string;
    kind: string;
    other_id: string;
    score: number;
    evidence: string;
    status: string;
    created_at: string;
  };
  sources_signpost_links: {
    doc_id: string;
    pos_start: number;
    set_id: string;
    signpost: string;
    observed: number;
    proposal_id: string;
    org: string;
    by_user: string;
    created_at: string;
  };
  sources_edits: {
    seq: number;
    org: string;
    op: string;
    entity_id: string;
    other_id: string | null;
    fold: string | null;
    new_id: string | null;
    by_user: string;
    at: string;
  };
};

export type SourcesDb = Schema & SourcesTables;
export type Exec = Kysely<SourcesDb> | Transaction<SourcesDb>;

export function sourcesDb(db: Kysely<Schema>): Kysely<SourcesDb> {
  return db.withTables<SourcesTables>();
}
