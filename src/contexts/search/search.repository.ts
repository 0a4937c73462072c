import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../../platform/db/dialect.ts';
import type { Schema } from '../../platform/db/schema.ts';
import type { Reader } from '../../kernel/access/releasability.ts';
import { releasableTo } from '../../kernel/access/releasability.sql.ts';
import { INCIDENT_EXTENSION_ID } from '../intel/incident.ts';
import { fts5Query, tsQuery } from './search.ts';

/** Where an incident's narratives sit in its STIX object (the Bulwark incident extension). */
const NARRATIVES = `$.extensions."${INCIDENT_EXTENSION_ID}".narratives`;

export interface MatchRow {
  target_id: string;
  field: string;
  body: string;
  kind: 'incident' | 'campaign';
  title: string;
  category: string | null;
  occurred_at: string | null;
}

export interface PivotRow {
  id: string;
  title: string;
  category: string;
  occurred_at: string;
  author: string;
  members: string;
}

/**
 * Reads the search index of migration 039. The reader's releasability is part of every query: an
 * incident's texts match only when the reader may read the incident; a campaign's name only when the
 * reader may read the campaign and at least one of its incidents (as the campaign pages show them).
 */
export class SearchRepository {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly dialect: DialectName,
  ) {}

  async matches(reader: Reader, terms: readonly string[], maxRows: number): Promise<MatchRow[]> {
    const visible = sql`(
      (i.id is not null and ${releasableTo(reader, 'i')})
      or (c.id is not null and c.merged_into is null and ${releasableTo(reader, 'c')} and exists (
        select 1 from intel_campaign_incidents ci join intel_incidents ii on ii.id = ci.incident_id
        where ci.campaign_id = c.id and ${releasableTo(reader, 'ii')})))`;
    const columns = sql`d.target_id, d.field,
      case when i.id is not null then 'incident' else 'campaign' end as kind,
      coalesce(i.title, c.name) as title, i.category, i.occurred_at`;
    const joins = sql`left join intel_incidents i on i.id = d.target_id and d.field <> 'campaign'
      left join intel_campaigns c on c.id = d.target_id and d.field = 'campaign'`;
    const q =
      this.dialect === 'postgres'
        ? sql<MatchRow>`select ${columns}, d.body from console_search_docs d ${joins}
            where d.tsv @@ to_tsquery('simple', ${tsQuery(terms)}) and ${visible}
            order by ts_rank(d.tsv, to_tsquery('simple', ${tsQuery(terms)})) desc, d.id desc limit ${maxRows}`
        : // the SQLite index keeps no copy of the texts: each is read back from where it lives
          sql<MatchRow>`select ${columns}, case d.field
              when 'title' then i.title
              when 'campaign' then c.name
              when 'observable' then (select value from intel_observables where rowid = cast(d.body as integer))
              when 'description' then (select json_extract(cast(json as text), '$.description')
                from objects where id = d.target_id and is_latest = 1)
              else (select json_extract(cast(json as text), ${NARRATIVES} || '[' || d.body || ']')
                from objects where id = d.target_id and is_latest = 1) end as body
            from console_search s join console_search_docs d on d.id = s.rowid ${joins}
            where console_search match ${fts5Query(terms)} and ${visible}
            order by s.rank, d.id desc limit ${maxRows}`;
    return (await q.execute(this.db)).rows;
  }

  /** Every readable incident holding the observable (kind and normalised value), newest first. */
  async withValue(reader: Reader, kind: string, norm: string, limit: number): Promise<PivotRow[]> {
    return this.db
      .selectFrom('intel_observables as o')
      .innerJoin('intel_incidents as i', 'i.id', 'o.incident_id')
      .select(['i.id', 'i.title', 'i.category', 'i.occurred_at', 'i.author', 'i.members'])
      .where('o.kind', '=', kind)
      .where('o.norm_value', '=', norm)
      .where(releasableTo(reader, 'i'))
      .orderBy('i.occurred_at', 'desc')
      .orderBy('i.id')
      .limit(limit)
      .execute();
  }
}
