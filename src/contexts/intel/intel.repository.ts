import type { CompiledQuery, Kysely, Selectable, Transaction } from 'kysely';
import type { ReadPool } from '../../platform/db/read-pool.ts';
import type { IntelIncidentsTable, IntelLinksTable, Schema } from '../../platform/db/schema.ts';
import type { Reader } from '../../kernel/access/releasability.ts';
import { releasableTo } from '../../kernel/access/releasability.sql.ts';

type Ex = Kysely<Schema> | Transaction<Schema>;

export type IncidentRow = Selectable<IntelIncidentsTable>;
export type LinkRow = Selectable<IntelLinksTable>;
/** The release of something that links to an incident or campaign (a campaign, a response). */
export interface LinkSource {
  id: string;
  author: string;
  tlp: string;
  audience: string;
}
export interface ListFilter {
  category?: string | undefined;
  member?: string | undefined;
  since?: string | undefined;
  limit: number;
  after?: { occurredAt: string; id: string } | undefined;
}

/** The intel query index (tables intel_*), beside the STIX store. No business rules here. */
export class IntelRepository {
  /**
   * `readPool` (a SQLite file store's reader threads): the read models that scan many rows (picture counts,
   * strong links for campaigns, common values) run there, off the thread that serves HTTP; over 14,000
   * incidents each took 0.3-0.5 s of it (bench/RESULTS.md, "Read models"). The SQL, and so releasability,
   * is the same either way; a reader thread sees every write committed before the read was sent.
   */
  constructor(
    readonly db: Kysely<Schema>,
    private readonly readPool?: ReadPool,
  ) {}

  /** Runs a read-model query on a reader thread when there is one, else here; `columns` in select order. */
  private async readModel<R>(
    q: { compile(): CompiledQuery<R>; execute(): Promise<R[]> },
    columns: ReadonlyArray<keyof R & string>,
  ): Promise<R[]> {
    if (!this.readPool) return q.execute();
    const rows = await this.readPool.all(q.compile());
    return rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]])) as R);
  }

  async incident(ex: Ex, id: string): Promise<IncidentRow | undefined> {
    return ex.selectFrom('intel_incidents').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async incidents(ids: readonly string[], ex: Ex = this.db): Promise<IncidentRow[]> {
    if (ids.length === 0) return [];
    return ex
      .selectFrom('intel_incidents')
      .selectAll()
      .where('id', 'in', ids as string[])
      .execute();
  }

  /** Campaigns that hold the incident, with their release (the sources of its campaign links). */
  async campaignsHolding(ex: Ex, incident: string): Promise<LinkSource[]> {
    return ex
      .selectFrom('intel_campaign_incidents as ci')
      .innerJoin('intel_campaigns as c', 'c.id', 'ci.campaign_id')
      .select(['c.id', 'c.author', 'c.tlp', 'c.audience'])
      .where('ci.incident_id', '=', incident)
      .execute();
  }

  /** Responses aimed at an incident (or a campaign), with their release (the sources of its response links). */
  async responsesAt(ex: Ex, target: string): Promise<LinkSource[]> {
    return ex
      .selectFrom('intel_responses')
      .select(['id', 'author', 'tlp', 'audience'])
      .where('target', '=', target)
      .execute();
  }

  async valuesOf(
    ids: readonly string[],
    kinds?: readonly string[],
  ): Promise<Array<{ incident_id: string; kind: string; norm_value: string; value: string }>> {
    if (ids.length === 0) return [];
    let q = this.db
      .selectFrom('intel_observables')
      .selectAll()
      .where('incident_id', 'in', ids as string[]);
    if (kinds) q = q.where('kind', 'in', kinds as string[]);
    return q.execute();
  }

  /** How many incidents carry each value (one indexed IN lookup). */
  async valueCounts(values: ReadonlyArray<{ kind: string; norm: string }>): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (values.length === 0) return out;
    const wanted = new Set(values.map((v) => `${v.kind}\u0000${v.norm}`));
    const rows = await this.db
      .selectFrom('intel_value_counts')
      .selectAll()
      .where('kind', 'in', [...new Set(values.map((v) => v.kind))])
      .where('norm_value', 'in', [...new Set(values.map((v) => v.norm))])
      .execute();
    for (const r of rows)
      if (wanted.has(`${r.kind}\u0000${r.norm_value}`)) out.set(`${r.kind}\u0000${r.norm_value}`, Number(r.incidents));
    return out;
  }

  /** Incidents carrying any of the values (one indexed IN lookup, capped at `limit` rows). */
  async withValues(
    values: ReadonlyArray<{ kind: string; norm: string }>,
    exclude: string,
    limit: number,
  ): Promise<Array<{ incident_id: string; kind: string; norm_value: string }>> {
    if (values.length === 0) return [];
    const wanted = new Set(values.map((v) => `${v.kind}\u0000${v.norm}`));
    const rows = await this.db
      .selectFrom('intel_observables')
      .select(['incident_id', 'kind', 'norm_value'])
      .where('kind', 'in', [...new Set(values.map((v) => v.kind))])
      .where('norm_value', 'in', [...new Set(values.map((v) => v.norm))])
      .where('incident_id', '<>', exclude)
      .limit(limit)
      .execute();
    return rows.filter((r) => wanted.has(`${r.kind}\u0000${r.norm_value}`));
  }

  /** Incidents other than `exclude` carrying one value under one of the given releases (capped at `limit`). */
  async withValueIn(
    kind: string,
    norm: string,
    releases: ReadonlyArray<{ author: string; tlp: string; audience: string }>,
    exclude: string,
    limit: number,
  ): Promise<string[]> {
    if (releases.length === 0) return [];
    const rows = await this.db
      .selectFrom('intel_observables as o')
      .innerJoin('intel_incidents as i', 'i.id', 'o.incident_id')
      .select('o.incident_id')
      .where('o.kind', '=', kind)
      .where('o.norm_value', '=', norm)
      .where('o.incident_id', '<>', exclude)
      .where((eb) =>
        eb.or(
          releases.map((r) =>
            eb.and([eb('i.author', '=', r.author), eb('i.tlp', '=', r.tlp), eb('i.audience', '=', r.audience)]),
          ),
        ),
      )
      .limit(limit)
      .execute();
    return rows.map((r) => r.incident_id);
  }

  async narrativesOf(ids: readonly string[]): Promise<Array<{ incident_id: string; idx: number; signature: string }>> {
    if (ids.length === 0) return [];
    return this.db
      .selectFrom('intel_narratives')
      .select(['incident_id', 'idx', 'signature'])
      .where('incident_id', 'in', ids as string[])
      .execute();
  }

  async linksOf(ex: Ex, id: string): Promise<LinkRow[]> {
    return ex
      .selectFrom('intel_links')
      .selectAll()
      .where((eb) => eb.or([eb('a', '=', id), eb('b', '=', id)]))
      .execute();
  }

  async deleteLink(trx: Transaction<Schema>, a: string, b: string): Promise<void> {
    await trx.deleteFrom('intel_links').where('a', '=', a).where('b', '=', b).execute();
  }

  /** Inserts or updates links, many per statement; each (a, b) pair at most once. */
  async upsertLinks(trx: Transaction<Schema>, links: readonly LinkRow[]): Promise<void> {
    for (let i = 0; i < links.length; i += 200) {
      await trx
        .insertInto('intel_links')
        .values(links.slice(i, i + 200))
        .onConflict((oc) =>
          oc.columns(['a', 'b']).doUpdateSet((eb) => ({
            score: eb.ref('excluded.score'),
            reasons: eb.ref('excluded.reasons'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    }
  }

  async markCorrelated(trx: Transaction<Schema>, id: string, modified: string): Promise<void> {
    await trx
      .updateTable('intel_incidents')
      .set({ pending: 0 })
      .where('id', '=', id)
      .where('modified', '=', modified)
      .execute();
  }

  async pending(limit: number): Promise<string[]> {
    return (
      await this.db.selectFrom('intel_incidents').select('id').where('pending', '=', 1).limit(limit).execute()
    ).map((r) => r.id);
  }

  /** The links of `id` whose other end the reader may read (the caller checked `id` itself). */
  async readableLinks(reader: Reader, id: string): Promise<LinkRow[]> {
    const q = (end: 'a' | 'b', other: 'a' | 'b') =>
      this.db
        .selectFrom('intel_links as l')
        .innerJoin('intel_incidents as o', 'o.id', `l.${other}`)
        .select(['l.a', 'l.b', 'l.score', 'l.reasons', 'l.created_at', 'l.updated_at'])
        .where(`l.${end}`, '=', id)
        .where(releasableTo(reader, 'o'));
    const rows = [...(await q('a', 'b').execute()), ...(await q('b', 'a').execute())];
    return rows.sort((x, y) => y.score - x.score);
  }

  /** Links of at least `minScore` whose two ends the reader may both read. */
  async readableStrongLinks(reader: Reader, minScore: number, limit: number): Promise<LinkRow[]> {
    const q = this.db
      .selectFrom('intel_links as l')
      .innerJoin('intel_incidents as ia', 'ia.id', 'l.a')
      .innerJoin('intel_incidents as ib', 'ib.id', 'l.b')
      .select(['l.a', 'l.b', 'l.score', 'l.reasons', 'l.created_at', 'l.updated_at'])
      .where('l.score', '>=', minScore)
      .where(releasableTo(reader, 'ia'))
      .where(releasableTo(reader, 'ib'))
      .orderBy('l.updated_at', 'desc')
      .limit(limit);
    return this.readModel(q, ['a', 'b', 'score', 'reasons', 'created_at', 'updated_at']);
  }

  async readableIncidents(reader: Reader, ids: readonly string[]): Promise<IncidentRow[]> {
    if (ids.length === 0) return [];
    const out: IncidentRow[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      out.push(
        ...(await this.db
          .selectFrom('intel_incidents as i')
          .selectAll()
          .where('i.id', 'in', ids.slice(i, i + 500))
          .where(releasableTo(reader, 'i'))
          .execute()),
      );
    }
    return out;
  }

  /** Releasable incidents, newest occurrence first, keyset-paged on (occurred_at, id). */
  async list(reader: Reader, f: ListFilter): Promise<IncidentRow[]> {
    let q = this.db.selectFrom('intel_incidents as i').selectAll('i').where(releasableTo(reader, 'i'));
    if (f.category) q = q.where('i.category', '=', f.category);
    if (f.member) {
      const m = f.member;
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('intel_incident_members as m')
            .select('m.member')
            .whereRef('m.incident_id', '=', 'i.id')
            .where('m.member', '=', m),
        ),
      );
    }
    if (f.since) q = q.where('i.occurred_at', '>=', f.since);
    if (f.after) {
      const a = f.after;
      q = q.where((eb) =>
        eb.or([
          eb('i.occurred_at', '<', a.occurredAt),
          eb.and([eb('i.occurred_at', '=', a.occurredAt), eb('i.id', '<', a.id)]),
        ]),
      );
    }
    return q.orderBy('i.occurred_at', 'desc').orderBy('i.id', 'desc').limit(f.limit).execute();
  }

  /**
   * Values seen in more than `threshold` incidents that the reader may read, with that number. The
   * answer depends only on readable incidents: the total (hidden ones included) only narrows the scan,
   * since a value the reader sees in more than `threshold` incidents has at least as many in total.
   */
  async commonValues(
    reader: Reader,
    threshold: number,
    limit: number,
  ): Promise<Array<{ kind: string; norm_value: string; incidents: number; visible: number }>> {
    const q = this.db
      .selectFrom('intel_value_counts as c')
      .innerJoin('intel_observables as o', (j) =>
        j.onRef('o.kind', '=', 'c.kind').onRef('o.norm_value', '=', 'c.norm_value'),
      )
      .innerJoin('intel_incidents as i', 'i.id', 'o.incident_id')
      .select(['c.kind', 'c.norm_value', 'c.incidents', (eb) => eb.fn.countAll<number>().as('visible')])
      .where('c.incidents', '>', threshold)
      .where(releasableTo(reader, 'i'))
      .groupBy(['c.kind', 'c.norm_value', 'c.incidents'])
      .having((eb) => eb.fn.countAll(), '>', threshold)
      // Ordered by what the reader may read: the total (hidden ones included) must not shape the list.
      .orderBy('visible', 'desc')
      .orderBy('c.kind')
      .orderBy('c.norm_value')
      .limit(limit);
    const rows = await this.readModel(q, ['kind', 'norm_value', 'incidents', 'visible']);
    return rows.map((r) => ({ ...r, incidents: Number(r.incidents), visible: Number(r.visible) }));
  }

  /** Counts of releasable incidents grouped by a column, in SQL. */
  async countBy(
    reader: Reader,
    by: 'category' | 'iso_week',
    since: string | undefined,
  ): Promise<Array<{ key: string; n: number }>> {
    let q = this.db
      .selectFrom('intel_incidents as i')
      .select([`i.${by} as key`, (eb) => eb.fn.countAll<number>().as('n')])
      .where(releasableTo(reader, 'i'));
    if (since) q = q.where('i.occurred_at', '>=', since);
    const rows = await this.readModel(q.groupBy(`i.${by}`).orderBy(`i.${by}`), ['key', 'n']);
    return rows.map((r) => ({ key: String(r.key), n: Number(r.n) }));
  }

  async countByMember(reader: Reader, since: string | undefined): Promise<Array<{ key: string; n: number }>> {
    let q = this.db
      .selectFrom('intel_incident_members as m')
      .innerJoin('intel_incidents as i', 'i.id', 'm.incident_id')
      .select(['m.member as key', (eb) => eb.fn.countAll<number>().as('n')])
      .where(releasableTo(reader, 'i'));
    if (since) q = q.where('i.occurred_at', '>=', since);
    const rows = await this.readModel(q.groupBy('m.member').orderBy('m.member'), ['key', 'n']);
    return rows.map((r) => ({ key: r.key, n: Number(r.n) }));
  }

  /** Releasable incidents created or changed after `since` (by STIX modified), newest first. */
  async changedSince(reader: Reader, since: string, limit: number): Promise<IncidentRow[]> {
    return this.db
      .selectFrom('intel_incidents as i')
      .selectAll('i')
      .where(releasableTo(reader, 'i'))
      .where('i.modified', '>', since)
      .orderBy('i.modified', 'desc')
      .limit(limit)
      .execute();
  }

  async countLinksSince(reader: Reader, since: string): Promise<number> {
    const q = this.db
      .selectFrom('intel_links as l')
      .innerJoin('intel_incidents as ia', 'ia.id', 'l.a')
      .innerJoin('intel_incidents as ib', 'ib.id', 'l.b')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('l.updated_at', '>', since)
      .where(releasableTo(reader, 'ia'))
      .where(releasableTo(reader, 'ib'));
    const [r] = await this.readModel(q, ['n']);
    return Number(r?.n ?? 0);
  }

  async kvGet(key: string): Promise<string | undefined> {
    return (await this.db.selectFrom('kv').select('value').where('key', '=', key).executeTakeFirst())?.value;
  }

  async kvSet(key: string, value: string): Promise<void> {
    await this.db
      .insertInto('kv')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }
}
