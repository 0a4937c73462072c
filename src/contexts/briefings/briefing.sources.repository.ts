import type { Kysely } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import type { Reader } from '../../kernel/access/releasability.ts';
import { releasableTo } from '../../kernel/access/releasability.sql.ts';

/**
 * What a briefing reads of intel and the council, in SQL filtered by the same releasability rule as
 * their own lists: the period's incidents, the campaigns confirmed in it, the council's decisions in
 * it and its open proposals. Read only.
 */
export class BriefingSourcesRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  async incidents(reader: Reader, from: string, to: string) {
    return this.db
      .selectFrom('intel_incidents as i')
      .select([
        'i.id',
        'i.author',
        'i.tlp',
        'i.audience',
        'i.modified',
        'i.category',
        'i.members',
        'i.lat',
        'i.lon',
        'i.occurred_at',
      ])
      .where(releasableTo(reader, 'i'))
      .where('i.occurred_at', '>=', from)
      .where('i.occurred_at', '<=', to)
      .orderBy('i.occurred_at')
      .orderBy('i.id')
      .execute();
  }

  /** Confirmed campaigns created in the period that hold an incident the reader may read, with how many. */
  async campaigns(reader: Reader, from: string, to: string) {
    const rows = await this.db
      .selectFrom('intel_campaigns as c')
      .select(['c.id', 'c.name', 'c.author', 'c.tlp', 'c.audience', 'c.status', 'c.created_at', 'c.modified'])
      .where(releasableTo(reader, 'c'))
      // As GET /campaigns shows them: a campaign none of whose incidents the reader may read is not there.
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('intel_campaign_incidents as ci')
            .innerJoin('intel_incidents as i', 'i.id', 'ci.incident_id')
            .select('ci.incident_id')
            .whereRef('ci.campaign_id', '=', 'c.id')
            .where(releasableTo(reader, 'i')),
        ),
      )
      .where('c.status', '<>', 'merged')
      .where('c.created_at', '>=', from)
      .where('c.created_at', '<=', to)
      .orderBy('c.created_at')
      .orderBy('c.id')
      .limit(200)
      .execute();
    if (rows.length === 0) return [];
    const counts = await this.db
      .selectFrom('intel_campaign_incidents as ci')
      .innerJoin('intel_incidents as i', 'i.id', 'ci.incident_id')
      .select(['ci.campaign_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where(
        'ci.campaign_id',
        'in',
        rows.map((r) => r.id),
      )
      .where(releasableTo(reader, 'i'))
      .groupBy('ci.campaign_id')
      .execute();
    const by = new Map(counts.map((c) => [c.campaign_id, Number(c.n)]));
    return rows.map((r) => ({ ...r, incidents: by.get(r.id) ?? 0 }));
  }

  /** Proposals decided in the period, and those still circulating. */
  async proposals(reader: Reader, from: string, to: string) {
    const base = this.db
      .selectFrom('council_proposals as p')
      .select([
        'p.id',
        'p.title',
        'p.status',
        'p.procedure',
        'p.decided_at',
        'p.silence_ends_at',
        'p.created_at',
        'p.author',
        'p.tlp',
        'p.audience',
      ])
      .where(releasableTo(reader, 'p'));
    const decided = await base
      .where('p.decided_at', '>=', from)
      .where('p.decided_at', '<=', to)
      .orderBy('p.decided_at')
      .orderBy('p.id')
      .limit(200)
      .execute();
    const open = await base
      .where('p.status', '=', 'circulating')
      .orderBy('p.created_at')
      .orderBy('p.id')
      .limit(200)
      .execute();
    return { decided, open };
  }

  async organisations(): Promise<{ members: string[]; partners: string[] }> {
    const rows = await this.db.selectFrom('organisations').select(['code', 'kind']).orderBy('code').execute();
    return {
      members: rows.filter((r) => r.kind === 'member').map((r) => r.code),
      partners: rows.filter((r) => r.kind === 'partner').map((r) => r.code),
    };
  }
}
