import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import { releasableTo } from '../../kernel/access/releasability.sql.ts';
import { ORGANISATIONS } from '../sharing/organisations.ts';

/** `releaseRank` (candidates.ts) in SQL over the columns `tlp` and `audience` of `alias`: widest releases first. */
const rankOf = (alias: 'i' | 'b') => {
  const tlp = sql.ref(`${alias}.tlp`);
  const audience = sql.ref(`${alias}.audience`);
  return sql<number>`case when ${tlp} = 'clear' then 0 when ${audience} = '' and ${tlp} = 'green' then 1 when ${audience} = '' and ${tlp} = 'amber' then 2 when ${audience} <> '' then 3 else 4 end`;
};
const RANK = rankOf('i');

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
   * Incidents other than `self` sharing any LSH band key, among the newest `perRelease` carriers of each key under
   * each release other than `self` (by slot, migration 104: one indexed range per key and release, so the rows read
   * do not grow with a claim's carriers): for each author at most `perAuthor`, its releases widest first and, within
   * one release, those sharing the most band keys first (then by id). Which carriers of a release are read depends
   * on that release's carriers only.
   */
  async bandCarriers(
    keys: readonly string[],
    self: { id: string; author: string; tlp: string; audience: string },
    perAuthor: number,
    perRelease: number,
  ): Promise<string[]> {
    if (keys.length === 0) return [];
    const rows = await this.bandCarriersQuery(keys, self, perAuthor, perRelease).execute();
    return rows.map((r) => r.incident_id);
  }

  /** The statement of `bandCarriers` (its plan is tested: one index range per band key and release). */
  bandCarriersQuery(
    keys: readonly string[],
    self: { id: string; author: string; tlp: string; audience: string },
    perAuthor: number,
    perRelease: number,
  ) {
    // A cross join: SQLite keeps the releases outside, so each is one range of the index by release and slot;
    // with an inner join it carried the band keys over to `b` and read every carrier of them again.
    const shared = this.db
      .selectFrom('intel_band_releases as r')
      .crossJoin('intel_bands as b')
      .whereRef('b.band_key', '=', 'r.band_key')
      .whereRef('b.author', '=', 'r.author')
      .whereRef('b.tlp', '=', 'r.tlp')
      .whereRef('b.audience', '=', 'r.audience')
      .select(['b.incident_id', 'b.author', 'b.tlp', 'b.audience'])
      .select((eb) => [eb.fn.countAll().as('n'), rankOf('b').as('rank')])
      .where('r.band_key', 'in', keys as string[])
      // `self` holds a slot of its own release, usually the newest: that release is read one further.
      .where(
        sql<boolean>`b.slot > r.n - ${perRelease} - case when r.author = ${self.author} and r.tlp = ${self.tlp} and r.audience = ${self.audience} then 1 else 0 end`,
      )
      .where('b.incident_id', '<>', self.id)
      .groupBy(['b.incident_id', 'b.author', 'b.tlp', 'b.audience']);
    return this.db
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
      .where('r.k', '<=', perAuthor);
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
