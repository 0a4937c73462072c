import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../dialect.ts';

/**
 * Narrative candidates read a bounded number of rows (CorrelationQueries.bandCarriers). Each `intel_bands` row
 * gains the release of its incident (author, TLP, audience) and a slot: its place among the carriers of that band
 * key under that release, counted up as they are written. `intel_band_releases` holds, per band key and release, the
 * last slot given (`n`), so the newest carriers of a release are those with a slot above `n` minus the number wanted,
 * one indexed range each. Before, the read ranked every incident sharing a band key, so under a long surge of one
 * claim each new report's read grew with the claim's carriers. The table is rebuilt: the index by release and slot
 * replaces the one by (band_key, incident_id), which nothing read, so a band row costs no more than before.
 * Existing rows get slots in incident id order.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('intel_bands_slotted')
    .addColumn('band_key', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('slot', 'integer', (c) => c.notNull())
    .execute();
  await sql`insert into intel_bands_slotted (band_key, incident_id, author, tlp, audience, slot)
    select b.band_key, b.incident_id, i.author, i.tlp, i.audience,
      row_number() over (partition by b.band_key, i.author, i.tlp, i.audience order by b.incident_id)
    from intel_bands b join intel_incidents i on i.id = b.incident_id`.execute(db);
  await db.schema.dropTable('intel_bands').execute();
  await db.schema.alterTable('intel_bands_slotted').renameTo('intel_bands').execute();
  await db.schema.createIndex('intel_bands_incident').on('intel_bands').columns(['incident_id']).execute();
  await db.schema
    .createIndex('intel_bands_release_slot')
    .on('intel_bands')
    .columns(['band_key', 'author', 'tlp', 'audience', 'slot'])
    .unique()
    .execute();
  await db.schema
    .createTable('intel_band_releases')
    .addColumn('band_key', 'text', (c) => c.notNull())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('intel_band_releases_pk', ['band_key', 'author', 'tlp', 'audience'])
    .execute();
  await sql`insert into intel_band_releases (band_key, author, tlp, audience, n)
    select band_key, author, tlp, audience, max(slot) from intel_bands group by band_key, author, tlp, audience`.execute(
    db,
  );
}
