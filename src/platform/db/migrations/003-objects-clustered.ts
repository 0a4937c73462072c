import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../dialect.ts';

/**
 * A stored version is identified by its `added_us` (unique: date_added is strictly increasing per store),
 * so the surrogate `seq` goes. On SQLite the table becomes a WITHOUT ROWID table clustered on
 * (type, added_us): a TAXII page of one type (`match[type]`, the common poll) then reads a few
 * adjacent pages instead of one page per row among the other types (bench/RESULTS.md, TAXII). Rows
 * average well under 1/20 of a 16 KiB page, the size for which SQLite recommends WITHOUT ROWID; larger
 * ones spill to overflow pages as in any table. Two indexes become redundant and go, so every write
 * maintains fewer B-trees: (type, is_latest, added_us), which the clustered key now serves, and
 * (is_latest, added_us), which the unique added_us index serves (superseded versions are few and
 * every listed row is read for releasability anyway). PostgreSQL keeps its heap and (type, is_latest,
 * added_us); it gets the primary key on added_us in place of the surrogate and of (is_latest, added_us).
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  if (dialect === 'postgres') {
    await sql`alter table objects drop column seq`.execute(db);
    await sql`drop index objects_added`.execute(db);
    await sql`drop index objects_latest_added`.execute(db);
    await sql`alter table objects add constraint objects_pkey primary key (added_us)`.execute(db);
    return;
  }
  const cols = sql.raw('id, type, spec_version, version, added_us, date_added, author, tlp, audience, is_latest, json');
  await sql`create table objects_clustered (
    id text not null, type text not null, spec_version text not null, version text not null,
    added_us integer not null, date_added text not null, author text not null, tlp text not null,
    audience text not null, is_latest integer not null, json text not null,
    primary key (type, added_us)
  ) without rowid`.execute(db);
  await sql`insert into objects_clustered (${cols}) select ${cols} from objects order by type, added_us`.execute(db);
  await sql`drop table objects`.execute(db);
  await sql`alter table objects_clustered rename to objects`.execute(db);
  await db.schema.createIndex('objects_id_version').on('objects').columns(['id', 'version']).unique().execute();
  await db.schema.createIndex('objects_added').on('objects').columns(['added_us']).unique().execute();
  await db.schema.createIndex('objects_author_added').on('objects').columns(['author', 'added_us']).execute();
}
