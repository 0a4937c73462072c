import type { Kysely } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import { decodeAudience, encodeAudience, type Reader } from '../../kernel/access/releasability.ts';
import { releasableTo } from '../../kernel/access/releasability.sql.ts';
import { isTlp } from '../../kernel/access/tlp.ts';
import { fromMinor, toMinor, type Money } from './money.ts';
import type { HumanitarianNeed, Sector } from './humanitarian.ts';
import { num, registersDb, type Exec, type HumanitarianNeedsTable, type RegistersDb } from './registers.tables.ts';

export interface NeedFilter {
  area?: string | undefined;
  sector?: Sector | undefined;
  /** Needs stated as of this time or earlier (briefings, summaries as of a date). */
  asOfUntil?: string | undefined;
  limit: number;
  after?: { key: string; id: string } | undefined;
}

/** The most needs one summary reads (the latest per area and sector among them). */
export const SUMMARY_SCAN = 100_000;

/** humanitarian_needs. No business rules. */
export class HumanitarianRepository {
  readonly db: RegistersDb;
  constructor(readonly base: Kysely<Schema>) {
    this.db = registersDb(base);
  }

  async insert(x: Exec, n: HumanitarianNeed): Promise<void> {
    await x
      .insertInto('humanitarian_needs')
      .values({
        id: n.id,
        author: n.author,
        created_by: n.createdBy,
        area: n.area,
        sector: n.sector,
        people_in_need: n.peopleInNeed,
        people_reached: n.peopleReached,
        required_minor: n.fundingRequired ? toMinor(n.fundingRequired.value) : null,
        required_currency: n.fundingRequired?.currency ?? null,
        received_minor: n.fundingReceived ? toMinor(n.fundingReceived.value) : null,
        received_currency: n.fundingReceived?.currency ?? null,
        as_of: n.asOf,
        source: n.source,
        tlp: n.tlp,
        audience: encodeAudience(n.audience),
        created_at: n.created,
        modified: n.modified,
      })
      .execute();
  }

  async load(id: string, x: Exec = this.db): Promise<HumanitarianNeed | undefined> {
    const row = await x.selectFrom('humanitarian_needs').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toNeed(row);
  }

  async remove(x: Exec, id: string): Promise<void> {
    await x.deleteFrom('humanitarian_needs').where('id', '=', id).execute();
  }

  /** Needs the reader may read (releasability in SQL), latest `asOf` first, keyset-paged. */
  async list(reader: Reader, f: NeedFilter): Promise<HumanitarianNeed[]> {
    let q = this.db.selectFrom('humanitarian_needs as n').selectAll('n').where(releasableTo(reader, 'n'));
    if (f.area) q = q.where('n.area', '=', f.area);
    if (f.sector) q = q.where('n.sector', '=', f.sector);
    if (f.asOfUntil) q = q.where('n.as_of', '<=', f.asOfUntil);
    if (f.after) {
      const a = f.after;
      q = q.where((eb) =>
        eb.or([eb('n.as_of', '<', a.key), eb.and([eb('n.as_of', '=', a.key), eb('n.id', '<', a.id)])]),
      );
    }
    const rows = await q.orderBy('n.as_of', 'desc').orderBy('n.id', 'desc').limit(f.limit).execute();
    return rows.map(toNeed);
  }
}

const money = (minor: number | string | null, currency: string | null): Money | null =>
  minor === null || currency === null ? null : { value: fromMinor(num(minor)), currency };

function toNeed(r: HumanitarianNeedsTable): HumanitarianNeed {
  return {
    id: r.id,
    author: r.author,
    area: r.area,
    sector: r.sector as Sector,
    peopleInNeed: num(r.people_in_need),
    peopleReached: r.people_reached === null ? null : num(r.people_reached),
    fundingRequired: money(r.required_minor, r.required_currency),
    fundingReceived: money(r.received_minor, r.received_currency),
    asOf: r.as_of,
    source: r.source,
    tlp: isTlp(r.tlp) ? r.tlp : 'red',
    audience: decodeAudience(r.audience),
    createdBy: r.created_by,
    created: r.created_at,
    modified: r.modified,
  };
}
