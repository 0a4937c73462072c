import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect.ts';

/** Confirmed campaigns and coordinated responses of the intel context (src/contexts/intel). */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('intel_campaigns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('merged_into', 'text')
    .addColumn('confidence', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('modified', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('intel_campaign_incidents')
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('intel_campaign_incidents_pk', ['campaign_id', 'incident_id'])
    .execute();
  await db.schema
    .createIndex('intel_campaign_incidents_incident')
    .on('intel_campaign_incidents')
    .columns(['incident_id'])
    .execute();
}
