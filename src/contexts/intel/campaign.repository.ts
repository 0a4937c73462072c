import type { Kysely, Transaction } from 'kysely';
import type { IntelCampaignsTable, Schema } from '../../platform/db/schema.ts';
import type { Reader } from '../../kernel/access/releasability.ts';
import { releasableTo } from '../../kernel/access/releasability.sql.ts';

export type CampaignRow = IntelCampaignsTable;

/** Confirmed campaigns (tables intel_campaigns, intel_campaign_incidents). No business rules here. */
export class CampaignRepository {
  constructor(readonly db: Kysely<Schema>) {}

  async load(
    ex: Kysely<Schema> | Transaction<Schema>,
    id: string,
  ): Promise<{ row: CampaignRow; incidents: string[] } | undefined> {
    const row = await ex.selectFrom('intel_campaigns').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const incidents = await ex
      .selectFrom('intel_campaign_incidents')
      .select('incident_id')
      .where('campaign_id', '=', id)
      .orderBy('incident_id')
      .execute();
    return { row, incidents: incidents.map((r) => r.incident_id) };
  }

  async save(trx: Transaction<Schema>, row: CampaignRow, incidents: readonly string[]): Promise<void> {
    await trx.deleteFrom('intel_campaigns').where('id', '=', row.id).execute();
    await trx.insertInto('intel_campaigns').values(row).execute();
    await trx.deleteFrom('intel_campaign_incidents').where('campaign_id', '=', row.id).execute();
    if (incidents.length > 0)
      await trx
        .insertInto('intel_campaign_incidents')
        .values(incidents.map((i) => ({ campaign_id: row.id, incident_id: i })))
        .execute();
  }

  /** Confirmed campaigns the reader may read, each with its incidents the reader may read (none: left out). */
  async listReadable(reader: Reader, limit: number): Promise<Array<{ row: CampaignRow; incidents: string[] }>> {
    const rows = await this.db
      .selectFrom('intel_campaigns as c')
      .selectAll('c')
      .where('c.status', '=', 'confirmed')
      .where(releasableTo(reader, 'c'))
      .orderBy('c.modified', 'desc')
      .limit(limit)
      .execute();
    if (rows.length === 0) return [];
    const members = await this.db
      .selectFrom('intel_campaign_incidents as ci')
      .innerJoin('intel_incidents as i', 'i.id', 'ci.incident_id')
      .select(['ci.campaign_id', 'ci.incident_id'])
      .where(
        'ci.campaign_id',
        'in',
        rows.map((r) => r.id),
      )
      .where(releasableTo(reader, 'i'))
      .execute();
    const by = new Map<string, string[]>();
    for (const m of members) by.set(m.campaign_id, [...(by.get(m.campaign_id) ?? []), m.incident_id]);
    return rows.filter((r) => by.has(r.id)).map((row) => ({ row, incidents: by.get(row.id)!.sort() }));
  }
}
