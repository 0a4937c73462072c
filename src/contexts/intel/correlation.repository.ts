import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import { releasableTo } from '../../kernel/access/releasability.sql.ts';
import { ORGANISATIONS } from '../sharing/organisations.ts';

/** `releaseRank` (candidates.ts) in SQL over the incident alias `i`: widest releases first. */
const RANK = sql<number>`case when i.tlp = 'clear' then 0 when i.audience = '' and i.tlp = 'green' then 1 when i.audience = '' and i.tlp = 'amber' then 2 when i.audience <> '' then 3 else 4 end`;

export interface ReleaseRow {
  author: string;
  tlp: string;
  audience: string;
  incidents: number;
}

/** Correlation's own reads of the intel index (tables intel_*), each bounded in the rows it returns. No rules here. */
export class CorrelationQueries {
  constructor(private readonly db: Kysely<Schema>) {}

  /**
   * How many incidents carrying one value every one of `readers` (organisation codes) may read, counted up to
   * `cap` (the scan stops there). One indexed range of the value's carriers with the releasability of each
   * reader in SQL; none read is counted when `readers` is empty.
   */
  async readableCarriers(kind: string, norm: string, readers: readonly string[], cap: number): Promise<number> {
    if (readers.length === 0) return 0;
    const byCode = new Map(ORGANISATIONS.map((o) => [o.code, o.kind]));
    const conditions = readers.map((code) =>
      releasableTo({ kind: 'org', org: code, orgKind: byCode.get(code) ?? 'partner' }, 'i'),
    );
    const carriers = this.db
      .selectFrom('intel_observables as o')
      .innerJoin('intel_incidents as i', 'i.id', 'o.incident_id')
      .select('o.incident_id')
      .where('o.kind', '=', kind)
      .where('o.norm_value', '=', norm)
      .where(sql<boolean>`(${sql.join(conditions, sql` and `)})`)
      .limit(cap);
    const row = await this.db
      .selectFrom(carriers.as('c'))
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /**
   * The releases (author, TLP, stored audience) of the incidents carrying one value, with how many carry it under
   * each: for each author its first `perAuthor + 1` releases, widest first (so a caller sees which authors have
   * more). One indexed range of the value's carriers, grouped and numbered in the database.
   */
  async valueReleases(kind: string, norm: string, perAuthor: number): Promise<ReleaseRow[]> {
    const grouped = this.db
      .selectFrom('intel_observables as o')
      .innerJoin('intel_incidents as i', 'i.id', 'o.incident_id')
      .select(['i.author', 'i.tlp', 'i.audience'])
      .select((eb) => [eb.fn.countAll().as('n'), RANK.as('rank')])
      .where('o.kind', '=', kind)
      .where('o.norm_value', '=', norm)
      .groupBy(['i.author', 'i.tlp', 'i.audience']);
    const rows = await this.db
      .selectFrom(
        this.db
          .selectFrom(grouped.as('g'))
          .selectAll('g')
          .select(sql<number>`row_number() over (partition by g.author order by g.rank, g.tlp, g.audience)`.as('k'))
          .as('r'),
      )
      .select(['r.author', 'r.tlp', 'r.audience', 'r.n'])
      .where('r.k', '<=', perAuthor + 1)
      .orderBy('r.author')
      .orderBy('r.rank')
      .orderBy('r.tlp')
      .orderBy('r.audience')
      .execute();
    return rows.map((r) => ({ author: r.author, tlp: r.tlp, audience: r.audience, incidents: Number(r.n) }));
  }

  /**
   * Incidents other than `exclude` sharing any LSH band key: for each author at most `perAuthor`, its releases
   * widest first and, within one release, those sharing the most band keys first (then by id).
   */
  async bandCarriers(keys: readonly string[], exclude: string, perAuthor: number): Promise<string[]> {
    if (keys.length === 0) return [];
    const shared = this.db
      .selectFrom('intel_bands as b')
      .innerJoin('intel_incidents as i', 'i.id', 'b.incident_id')
      .select(['b.incident_id', 'i.author', 'i.tlp', 'i.audience'])
      .select((eb) => [eb.fn.countAll().as('n'), RANK.as('rank')])
      .where('b.band_key', 'in', keys as string[])
      .where('b.incident_id', '<>', exclude)
      .groupBy(['b.incident_id', 'i.author', 'i.tlp', 'i.audience']);
    const rows = await this.db
      .selectFrom(
        this.db
          .selectFrom(shared.as('s'))
          .select('s.incident_id')
          .select(
            sql<number>`row_number() over (partition by s.author order by s.rank, s.tlp, s.audience, s.n desc, s.incident_id)`.as(
              'k',
            ),
          )
          .as('r'),
      )
      .select('r.incident_id')
      .where('r.k', '<=', perAuthor)
      .execute();
    return rows.map((r) => r.incident_id);
  }

  /** Which of `ids` carry which of `values` (one indexed IN lookup; the caller bounds `ids`). */
  async carriersAmong(
    ids: readonly string[],
    values: ReadonlyArray<{ kind: string; norm: string }>,
  ): Promise<Array<{ incident_id: string; kind: string; norm_value: string }>> {
    if (ids.length === 0 || values.length === 0) return [];
    const wanted = new Set(values.map((v) => `${v.kind}\u0000${v.norm}`));
    const rows = await this.db
      .selectFrom('intel_observables')
      .select(['incident_id', 'kind', 'norm_value'])
      .where('incident_id', 'in', ids as string[])
      .where('kind', 'in', [...new Set(values.map((v) => v.kind))])
      .where('norm_value', 'in', [...new Set(values.map((v) => v.norm))])
      .execute();
    return rows.filter((r) => wanted.has(`${r.kind}\u0000${r.norm_value}`));
  }
}
