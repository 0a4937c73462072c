import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../dialect.ts';

/**
 * Full-text search for the console (src/contexts/search): one row per searchable text of an incident
 * (title, description, each observable value and narrative) or a campaign (its name), kept in step with
 * the intel tables by triggers, so that every write path (REST, TAXII import, demo) is indexed. SQLite
 * searches it with FTS5 (external content), PostgreSQL with a GIN index on a generated tsvector.
 * Releasability is applied at query time, in SQL, from the incident's or campaign's own release.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const statements = dialect === 'postgres' ? POSTGRES : SQLITE;
  for (const s of statements) await sql.raw(s).execute(db);
}

/** Where an incident's narratives sit in its STIX object (the Bulwark incident extension, src/contexts/intel). */
const EXTENSION = 'extension-definition--b7d3c1a2-4e5f-4a6b-8c9d-0e1f2a3b4c5d';
const SQLITE_NARRATIVES = `$.extensions."${EXTENSION}".narratives`;
const PG_NARRATIVES = `coalesce((o.json::jsonb) -> 'extensions' -> '${EXTENSION}' -> 'narratives', '[]'::jsonb)`;

const BACKFILL = [
  `insert into console_search_docs (target_id, field, body) select id, 'title', title from intel_incidents`,
  `insert into console_search_docs (target_id, field, body)
     select incident_id, 'observable', value from intel_observables where kind <> 'ttp'`,
  `insert into console_search_docs (target_id, field, body) select id, 'campaign', name from intel_campaigns`,
];

/**
 * SQLite: a contentless FTS5 index (the texts stay in the incident and campaign rows, not copied) over
 * rows of console_search_docs that name what each entry indexes; the entries are added and removed by
 * triggers on the intel tables. Observable values are also kept in the row, to be removed by value.
 */
const SQLITE = [
  `create table console_search_docs (id integer primary key, target_id text not null, field text not null, body text not null)`,
  `create index console_search_docs_target on console_search_docs (target_id, field)`,
  `create virtual table console_search using fts5(body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`,
  `create trigger console_search_docs_ad after delete on console_search_docs begin
     delete from console_search where rowid = old.id; end`,
  `create trigger console_search_incident_ai after insert on intel_incidents begin
     insert into console_search_docs (target_id, field, body) values (new.id, 'title', '');
     insert into console_search (rowid, body) values (last_insert_rowid(), new.title);
     insert into console_search_docs (target_id, field, body)
       select new.id, 'description', '' from objects
       where id = new.id and is_latest = 1 and coalesce(json_extract(cast(json as text), '$.description'), '') <> '';
     insert into console_search (rowid, body)
       select (select max(id) from console_search_docs where target_id = new.id and field = 'description'),
         json_extract(cast(json as text), '$.description') from objects
       where id = new.id and is_latest = 1 and coalesce(json_extract(cast(json as text), '$.description'), '') <> '';
     insert into console_search_docs (target_id, field, body)
       select new.id, 'narrative', cast(n.key as text) from objects o, json_each(cast(o.json as text), '${SQLITE_NARRATIVES}') n
       where o.id = new.id and o.is_latest = 1 and n.type = 'text' and n.value <> '';
     insert into console_search (rowid, body)
       select d.id, n.value from objects o, json_each(cast(o.json as text), '${SQLITE_NARRATIVES}') n
         join console_search_docs d on d.target_id = new.id and d.field = 'narrative' and d.body = cast(n.key as text)
       where o.id = new.id and o.is_latest = 1 and n.type = 'text' and n.value <> '';
   end`,
  `create trigger console_search_incident_ad after delete on intel_incidents begin
     delete from console_search_docs where target_id = old.id and field in ('title', 'description', 'narrative'); end`,
  `create trigger console_search_observable_ai after insert on intel_observables when new.kind <> 'ttp' begin
     insert into console_search_docs (target_id, field, body) values (new.incident_id, 'observable', cast(new.rowid as text));
     insert into console_search (rowid, body) values (last_insert_rowid(), new.value); end`,
  `create trigger console_search_observable_ad after delete on intel_observables when old.kind <> 'ttp' begin
     delete from console_search_docs
     where target_id = old.incident_id and field = 'observable' and body = cast(old.rowid as text); end`,
  `create trigger console_search_campaign_ai after insert on intel_campaigns begin
     insert into console_search_docs (target_id, field, body) values (new.id, 'campaign', '');
     insert into console_search (rowid, body) values (last_insert_rowid(), new.name); end`,
  `create trigger console_search_campaign_au after update of name on intel_campaigns begin
     delete from console_search_docs where target_id = old.id and field = 'campaign';
     insert into console_search_docs (target_id, field, body) values (new.id, 'campaign', '');
     insert into console_search (rowid, body) values (last_insert_rowid(), new.name); end`,
  `create trigger console_search_campaign_ad after delete on intel_campaigns begin
     delete from console_search_docs where target_id = old.id and field = 'campaign'; end`,
  // existing rows: the triggers' work, once (the body column holds the text only until it is indexed)
  `insert into console_search_docs (target_id, field, body) select id, 'title', title from intel_incidents`,
  `insert into console_search_docs (target_id, field, body)
     select incident_id, 'observable:' || rowid, value from intel_observables where kind <> 'ttp'`,
  `insert into console_search_docs (target_id, field, body) select id, 'campaign', name from intel_campaigns`,
  `insert into console_search_docs (target_id, field, body)
     select i.id, 'description', json_extract(cast(o.json as text), '$.description') from intel_incidents i
     join objects o on o.id = i.id and o.is_latest = 1
     where coalesce(json_extract(cast(o.json as text), '$.description'), '') <> ''`,
  `insert into console_search_docs (target_id, field, body)
     select i.id, 'narrative:' || n.key, n.value from intel_incidents i
     join objects o on o.id = i.id and o.is_latest = 1, json_each(cast(o.json as text), '${SQLITE_NARRATIVES}') n
     where n.type = 'text' and n.value <> ''`,
  `insert into console_search (rowid, body) select id, body from console_search_docs`,
  `update console_search_docs set body = substr(field, instr(field, ':') + 1), field = substr(field, 1, instr(field, ':') - 1)
     where field like '%:%'`,
  `update console_search_docs set body = '' where field in ('title', 'description', 'campaign')`,
];

const POSTGRES = [
  `create table console_search_docs (id bigserial primary key, target_id text not null, field text not null,
     body text not null, tsv tsvector generated always as (to_tsvector('simple', body)) stored)`,
  `create index console_search_docs_target on console_search_docs (target_id, field)`,
  `create index console_search_docs_tsv on console_search_docs using gin (tsv)`,
  `create function console_search_incident() returns trigger language plpgsql as $$ begin
     if tg_op = 'DELETE' then
       delete from console_search_docs where target_id = old.id and field in ('title', 'description', 'narrative');
       return old;
     end if;
     insert into console_search_docs (target_id, field, body) values (new.id, 'title', new.title);
     insert into console_search_docs (target_id, field, body)
       select new.id, 'description', d from (
         select (json::jsonb) ->> 'description' as d from objects where id = new.id and is_latest = 1
       ) x where d is not null and d <> '';
     insert into console_search_docs (target_id, field, body)
       select new.id, 'narrative', n from objects o, jsonb_array_elements_text(${PG_NARRATIVES}) n
       where o.id = new.id and o.is_latest = 1 and n <> '';
     return new;
   end $$`,
  `create function console_search_observable() returns trigger language plpgsql as $$ begin
     if tg_op = 'DELETE' then
       if old.kind <> 'ttp' then
         delete from console_search_docs where target_id = old.incident_id and field = 'observable' and body = old.value;
       end if;
       return old;
     end if;
     if new.kind <> 'ttp' then
       insert into console_search_docs (target_id, field, body) values (new.incident_id, 'observable', new.value);
     end if;
     return new;
   end $$`,
  `create function console_search_campaign() returns trigger language plpgsql as $$ begin
     if tg_op in ('DELETE', 'UPDATE') then
       delete from console_search_docs where target_id = old.id and field = 'campaign';
     end if;
     if tg_op = 'DELETE' then return old; end if;
     insert into console_search_docs (target_id, field, body) values (new.id, 'campaign', new.name);
     return new;
   end $$`,
  `create trigger console_search_incident after insert or delete on intel_incidents
     for each row execute function console_search_incident()`,
  `create trigger console_search_observable after insert or delete on intel_observables
     for each row execute function console_search_observable()`,
  `create trigger console_search_campaign after insert or delete or update of name on intel_campaigns
     for each row execute function console_search_campaign()`,
  ...BACKFILL,
  `insert into console_search_docs (target_id, field, body)
     select i.id, 'description', o.d from intel_incidents i
     join (select id, (json::jsonb) ->> 'description' as d from objects where type = 'incident' and is_latest = 1) o
       on o.id = i.id where o.d is not null and o.d <> ''`,
  `insert into console_search_docs (target_id, field, body)
     select i.id, 'narrative', n from intel_incidents i join objects o on o.id = i.id and o.is_latest = 1,
       jsonb_array_elements_text(${PG_NARRATIVES}) n
     where n <> ''`,
];
