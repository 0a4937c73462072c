import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect.ts';

/**
 * Query index of the intel context beside the STIX store (src/contexts/intel): incidents with their
 * releasability columns, normalised observables, narrative fingerprints (LSH bands), value counts
 * (common values) and the correlation links.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('intel_incidents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('iso_week', 'text', (c) => c.notNull())
    .addColumn('lat', 'double precision')
    .addColumn('lon', 'double precision')
    .addColumn('members', 'text', (c) => c.notNull())
    .addColumn('actor', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('modified', 'text', (c) => c.notNull())
    .addColumn('pending', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('intel_incidents_occurred')
    .on('intel_incidents')
    .columns(['occurred_at', 'id'])
    .execute();
  await db.schema
    .createIndex('intel_incidents_category')
    .on('intel_incidents')
    .columns(['category', 'occurred_at'])
    .execute();
  await db.schema.createIndex('intel_incidents_modified').on('intel_incidents').columns(['modified']).execute();
  await db.schema.createIndex('intel_incidents_pending').on('intel_incidents').columns(['pending']).execute();
  await db.schema
    .createTable('intel_incident_members')
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('member', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('intel_incident_members_pk', ['incident_id', 'member'])
    .execute();
  await db.schema
    .createIndex('intel_incident_members_member')
    .on('intel_incident_members')
    .columns(['member', 'incident_id'])
    .execute();
  await db.schema
    .createTable('intel_observables')
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('norm_value', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('intel_observables_pk', ['incident_id', 'kind', 'norm_value'])
    .execute();
  await db.schema
    .createIndex('intel_observables_value')
    .on('intel_observables')
    .columns(['kind', 'norm_value', 'incident_id'])
    .execute();
  await db.schema
    .createTable('intel_value_counts')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('norm_value', 'text', (c) => c.notNull())
    .addColumn('incidents', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('intel_value_counts_pk', ['kind', 'norm_value'])
    .execute();
  await db.schema.createIndex('intel_value_counts_incidents').on('intel_value_counts').columns(['incidents']).execute();
  await db.schema
    .createTable('intel_narratives')
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('idx', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('intel_narratives_pk', ['incident_id', 'idx'])
    .execute();
  await db.schema
    .createTable('intel_bands')
    .addColumn('band_key', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('intel_bands_pk', ['band_key', 'incident_id'])
    .execute();
  await db.schema.createIndex('intel_bands_incident').on('intel_bands').columns(['incident_id']).execute();
  await db.schema
    .createTable('intel_links')
    .addColumn('a', 'text', (c) => c.notNull())
    .addColumn('b', 'text', (c) => c.notNull())
    .addColumn('score', 'double precision', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('intel_links_pk', ['a', 'b'])
    .execute();
  await db.schema.createIndex('intel_links_b').on('intel_links').columns(['b', 'a']).execute();
}
