import type { Kysely } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import { decodeAudience, encodeAudience } from '../../kernel/access/releasability.ts';
import { isTlp, type Tlp } from '../../kernel/access/tlp.ts';

export interface BriefingsTable {
  id: string;
  org: string;
  created_by: string;
  title: string;
  period_from: string;
  period_to: string;
  created_at: string;
  tlp: string;
  audience: string;
  sha256: string;
  scheduled: number;
  markdown: string;
  html: string;
  pdf: string | null;
}

export interface StoredBriefing {
  id: string;
  org: string;
  createdBy: string;
  title: string;
  from: string;
  to: string;
  createdAt: string;
  tlp: Tlp;
  audience: string[];
  sha256: string;
  scheduled: boolean;
  hasPdf: boolean;
}

// A type literal (not an interface): withTables needs its index signature.
type Tables = { briefings: BriefingsTable };
const META = [
  'id',
  'org',
  'created_by',
  'title',
  'period_from',
  'period_to',
  'created_at',
  'tlp',
  'audience',
  'sha256',
  'scheduled',
] as const;

/** The briefings table; every read names the organisation (a briefing is its organisation's only). */
export class BriefingRepository {
  private readonly db: Kysely<Schema & Tables>;
  constructor(readonly base: Kysely<Schema>) {
    this.db = base.withTables<Tables>();
  }

  async insert(b: StoredBriefing, content: { markdown: string; html: string; pdf: Buffer | null }): Promise<void> {
    await this.db
      .insertInto('briefings')
      .values({
        id: b.id,
        org: b.org,
        created_by: b.createdBy,
        title: b.title,
        period_from: b.from,
        period_to: b.to,
        created_at: b.createdAt,
        tlp: b.tlp,
        audience: encodeAudience(b.audience),
        sha256: b.sha256,
        scheduled: b.scheduled ? 1 : 0,
        markdown: content.markdown,
        html: content.html,
        pdf: content.pdf ? content.pdf.toString('base64') : null,
      })
      .execute();
  }

  async get(org: string, id: string): Promise<StoredBriefing | undefined> {
    const r = await this.db
      .selectFrom('briefings')
      .select([...META, (eb) => eb('pdf', 'is not', null).as('has_pdf')])
      .where('id', '=', id)
      .where('org', '=', org)
      .executeTakeFirst();
    return r && toStored(r);
  }

  async content(org: string, id: string, format: 'markdown' | 'html' | 'pdf'): Promise<string | null | undefined> {
    const r = await this.db
      .selectFrom('briefings')
      .select(format)
      .where('id', '=', id)
      .where('org', '=', org)
      .executeTakeFirst();
    return r === undefined ? undefined : (r as Record<string, string | null>)[format];
  }

  async setPdf(org: string, id: string, pdf: Buffer): Promise<void> {
    await this.db
      .updateTable('briefings')
      .set({ pdf: pdf.toString('base64') })
      .where('id', '=', id)
      .where('org', '=', org)
      .execute();
  }

  async delete(org: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('briefings').where('id', '=', id).where('org', '=', org).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }

  /** The organisation's briefings, newest first, keyset-paged on (created_at, id). */
  async list(org: string, limit: number, after?: { key: string; id: string }): Promise<StoredBriefing[]> {
    let q = this.db
      .selectFrom('briefings')
      .select([...META, (eb) => eb('pdf', 'is not', null).as('has_pdf')])
      .where('org', '=', org);
    if (after)
      q = q.where((eb) =>
        eb.or([eb('created_at', '<', after.key), eb.and([eb('created_at', '=', after.key), eb('id', '<', after.id)])]),
      );
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toStored);
  }

  /** Whether a scheduled briefing of this organisation ends at `to` (the daily run already happened). */
  async hasScheduled(org: string, to: string): Promise<boolean> {
    const r = await this.db
      .selectFrom('briefings')
      .select('id')
      .where('org', '=', org)
      .where('scheduled', '=', 1)
      .where('period_to', '=', to)
      .executeTakeFirst();
    return r !== undefined;
  }
}

function toStored(r: Pick<BriefingsTable, (typeof META)[number]> & { has_pdf: unknown }): StoredBriefing {
  return {
    id: r.id,
    org: r.org,
    createdBy: r.created_by,
    title: r.title,
    from: r.period_from,
    to: r.period_to,
    createdAt: r.created_at,
    tlp: isTlp(r.tlp) ? r.tlp : 'red',
    audience: decodeAudience(r.audience),
    sha256: r.sha256,
    scheduled: Number(r.scheduled) === 1,
    hasPdf: r.has_pdf === true || Number(r.has_pdf) === 1,
  };
}
