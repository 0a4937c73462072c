import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect.ts';
import { nameUuid } from '../../../contexts/stix/stix.ts';

/**
 * The random ids intel gave to the objects it writes for an owner (an incident's location, actor and
 * relationships; a campaign's or response's links), by what each stands for, so that a later version
 * finds them again without deriving ids from public inputs (which anyone could take first).
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('intel_child_ids')
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('child_key', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('intel_child_ids_pk', ['owner_id', 'child_key'])
    .execute();
  // Links written before: their name-based ids, found again under the key later versions look up.
  const q = db as unknown as Kysely<{
    intel_campaign_incidents: { campaign_id: string; incident_id: string };
    intel_responses: { id: string; target: string };
    intel_child_ids: { owner_id: string; child_key: string; object_id: string };
  }>;
  const links = [
    ...(await q
      .selectFrom('intel_campaign_incidents')
      .select(['campaign_id as owner', 'incident_id as target'])
      .execute()),
    ...(await q.selectFrom('intel_responses').select(['id as owner', 'target']).execute()),
  ].map((l) => ({
    owner_id: l.owner,
    child_key: `related-to|${l.target}`,
    object_id: `relationship--${nameUuid(`${l.owner}|related-to|${l.target}`)}`,
  }));
  for (let i = 0; i < links.length; i += 300)
    await q
      .insertInto('intel_child_ids')
      .values(links.slice(i, i + 300))
      .execute();
}
