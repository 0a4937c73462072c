import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../dialect.ts';
import { formatMicros, timestampKey } from '../../../contexts/stix/stix.ts';
import { STORE_AUTHOR, WELL_KNOWN_MARKINGS } from '../../../contexts/stix/well-known.ts';

/**
 * The standard TLP 1.0 and 2.0 marking definitions become the store's own (issue 12, item 3): any
 * row under one of their ids (a user's copy, or a forgery that said TLP:CLEAR under the id of TLP:RED)
 * goes, and the definitions as published are written at date_added 1 µs … 9 µs after the epoch,
 * authored by no organisation, at TLP:CLEAR. The write path refuses these ids from then on.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  const ids = WELL_KNOWN_MARKINGS.map((m) => m.id as string);
  await sql`delete from objects where id in (${sql.join(ids)})`.execute(db);
  for (const [i, m] of WELL_KNOWN_MARKINGS.entries()) {
    const row = {
      id: m.id as string,
      type: 'marking-definition',
      spec_version: '2.1',
      version: timestampKey(m.created) ?? '',
      added_us: i + 1,
      date_added: formatMicros(i + 1),
      author: STORE_AUTHOR,
      tlp: 'clear',
      audience: '',
      is_latest: 1,
      json: JSON.stringify(m),
    };
    await sql`insert into objects (id, type, spec_version, version, added_us, date_added, author, tlp, audience, is_latest, json)
      values (${row.id}, ${row.type}, ${row.spec_version}, ${row.version}, ${row.added_us}, ${row.date_added}, ${row.author}, ${row.tlp}, ${row.audience}, ${row.is_latest}, ${row.json})`.execute(
      db,
    );
  }
}
