import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../dialect.ts';

/**
 * A version is unique per (id, author, version) instead of (id, version) (issue 12, item 6): STIX
 * derives the ids of cyber-observables from their values, so anyone can compute one; each
 * organisation now holds its own copy of an observable, and whether another one holds it never
 * shows in the answer to a write. Ids of versioned objects (SDOs, SROs, markings) still have one
 * author, which the write path enforces under its write lock.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await sql`drop index objects_id_version`.execute(db);
  await db.schema
    .createIndex('objects_id_author_version')
    .on('objects')
    .columns(['id', 'author', 'version'])
    .unique()
    .execute();
}
