import type { Kysely } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import { decodeAudience, encodeAudience, type Reader } from '../../kernel/access/releasability.ts';
import { releasableTo } from '../../kernel/access/releasability.sql.ts';
import { isTlp } from '../../kernel/access/tlp.ts';
import { fromMinor, toMinor } from './money.ts';
import type { Avenue, StatusStep, SummaryCell, SupportEntry, SupportStatus } from './support.ts';
import { num, registersDb, type Exec, type RegistersDb, type SupportEntriesTable } from './registers.tables.ts';

export interface SupportFilter {
  recipient?: string | undefined;
  provider?: string | undefined;
  avenue?: Avenue | undefined;
  status?: SupportStatus | undefined;
  /** Entries pledged in [from, to] (briefings). */
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  /** Keyset: entries after (pledgedAt, id) in the list's order (newest pledge first). */
  after?: { key: string; id: string } | undefined;
}

/** support_entries, support_history and the derived support_totals. No business rules. */
export class SupportRepository {
  readonly db: RegistersDb;
  /** The store as the rest of Bulwark sees it: transactions start here (knowledge and outbox take part). */
  constructor(readonly base: Kysely<Schema>) {
    this.db = registersDb(base);
  }

  async insert(x: Exec, e: SupportEntry): Promise<void> {
    await x
      .insertInto('support_entries')
      .values({
        id: e.id,
        author: e.provider,
        created_by: e.createdBy,
        recipient: e.recipient,
        avenue: e.avenue,
        description: e.description,
        amount_minor: e.amount ? toMinor(e.amount.value) : null,
        currency: e.amount?.currency ?? null,
        pledged_at: e.pledgedAt,
        status: e.status,
        source: e.source,
        source_grade: e.sourceGrade,
        tlp: e.tlp,
        audience: encodeAudience(e.audience),
        created_at: e.created,
        modified: e.modified,
        version: 1,
      })
      .execute();
    await this.appendHistory(x, e.id, 0, e.history[0]!);
    await this.addTotals(x, e, e.status, 1, 1);
  }

  /**
   * Moves the entry to its new status and release (a new version written over TAXII may change the release)
   * if nobody changed it since `version`; false when another writer won. A step added to the history is kept.
   */
  async transition(x: Exec, before: SupportEntry, after: SupportEntry, version: number): Promise<boolean> {
    const r = await x
      .updateTable('support_entries')
      .set({
        status: after.status,
        tlp: after.tlp,
        audience: encodeAudience(after.audience),
        modified: after.modified,
        version: version + 1,
      })
      .where('id', '=', after.id)
      .where('version', '=', version)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return false;
    for (let seq = before.history.length; seq < after.history.length; seq++)
      await this.appendHistory(x, after.id, seq, after.history[seq]!);
    await this.addTotals(x, before, before.status, -1, -1);
    await this.addTotals(x, after, after.status, 1, 1);
    return true;
  }

  /** Takes the entry out of the register (its STIX object was deleted or revoked), totals included. */
  async remove(x: Exec, e: SupportEntry): Promise<void> {
    await x.deleteFrom('support_history').where('entry_id', '=', e.id).execute();
    await x.deleteFrom('support_entries').where('id', '=', e.id).execute();
    await this.addTotals(x, e, e.status, -1, -1);
  }

  async load(x: Exec, id: string): Promise<{ entry: SupportEntry; version: number } | undefined> {
    const row = await x.selectFrom('support_entries').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const [entry] = await this.withHistory(x, [row]);
    return { entry: entry!, version: Number(row.version) };
  }

  /** Entries the reader may read (releasability in SQL), newest pledge first, keyset-paged. */
  async list(reader: Reader, f: SupportFilter): Promise<SupportEntry[]> {
    let q = this.db.selectFrom('support_entries as s').selectAll('s').where(releasableTo(reader, 's'));
    if (f.recipient) q = q.where('s.recipient', '=', f.recipient);
    if (f.provider) q = q.where('s.author', '=', f.provider);
    if (f.avenue) q = q.where('s.avenue', '=', f.avenue);
    if (f.status) q = q.where('s.status', '=', f.status);
    if (f.from) q = q.where('s.pledged_at', '>=', f.from);
    if (f.to) q = q.where('s.pledged_at', '<=', f.to);
    if (f.after) {
      const a = f.after;
      q = q.where((eb) =>
        eb.or([eb('s.pledged_at', '<', a.key), eb.and([eb('s.pledged_at', '=', a.key), eb('s.id', '<', a.id)])]),
      );
    }
    const rows = await q.orderBy('s.pledged_at', 'desc').orderBy('s.id', 'desc').limit(f.limit).execute();
    return this.withHistory(this.db, rows);
  }

  /** The summary cells the reader may read: support_totals filtered by the same releasability SQL. */
  async cells(reader: Reader, recipient?: string): Promise<SummaryCell[]> {
    let q = this.db
      .selectFrom('support_totals as t')
      .select((eb) => [
        't.avenue',
        't.author',
        't.currency',
        't.status',
        eb.fn.sum<number | string>('t.entries').as('entries'),
        eb.fn.sum<number | string>('t.amount_minor').as('minor'),
      ])
      .where(releasableTo(reader, 't'))
      .where('t.entries', '>', 0);
    if (recipient) q = q.where('t.recipient', '=', recipient);
    const rows = await q.groupBy(['t.avenue', 't.author', 't.currency', 't.status']).execute();
    return rows.map((r) => ({
      avenue: r.avenue as Avenue,
      provider: r.author,
      currency: r.currency,
      status: r.status as SupportStatus,
      entries: num(r.entries),
      minor: num(r.minor),
    }));
  }

  /** The generation of support_totals: it moves in the same transaction as every change of the totals. */
  async generation(): Promise<number> {
    const row = await this.db
      .selectFrom('support_totals_generation')
      .select('n')
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    return num(row.n);
  }

  /** The release classes (author, tlp, audience) of the entries a reader may read: what a summary holds. */
  async releaseClasses(reader: Reader): Promise<Array<{ author: string; tlp: string; audience: string }>> {
    return this.db
      .selectFrom('support_totals as t')
      .select(['t.author', 't.tlp', 't.audience'])
      .distinct()
      .where(releasableTo(reader, 't'))
      .where('t.entries', '>', 0)
      .orderBy('t.author')
      .orderBy('t.tlp')
      .orderBy('t.audience')
      .execute();
  }

  /** Humanitarian support per recipient and currency by status, over what the reader may read. */
  async humanitarianTotals(
    reader: Reader,
  ): Promise<Array<{ recipient: string; currency: string; status: string; minor: number }>> {
    const rows = await this.db
      .selectFrom('support_totals as t')
      .select((eb) => [
        't.recipient',
        't.currency',
        't.status',
        eb.fn.sum<number | string>('t.amount_minor').as('minor'),
      ])
      .where(releasableTo(reader, 't'))
      .where('t.avenue', '=', 'humanitarian')
      .where('t.currency', '<>', '')
      .where('t.entries', '>', 0)
      .groupBy(['t.recipient', 't.currency', 't.status'])
      .execute();
    return rows.map((r) => ({ recipient: r.recipient, currency: r.currency, status: r.status, minor: num(r.minor) }));
  }

  private async appendHistory(x: Exec, id: string, seq: number, s: StatusStep): Promise<void> {
    await x
      .insertInto('support_history')
      .values({ entry_id: id, seq, status: s.status, at: s.at, by_user: s.by })
      .execute();
  }

  private async addTotals(
    x: Exec,
    e: SupportEntry,
    status: SupportStatus,
    entries: number,
    sign: number,
  ): Promise<void> {
    const minor = e.amount ? sign * toMinor(e.amount.value) : 0;
    // Raised with every change of the totals, in its transaction: summaries kept at generation n stay exact while it reads n.
    await x
      .updateTable('support_totals_generation')
      .set((eb) => ({ n: eb('n', '+', 1) }))
      .where('id', '=', 1)
      .execute();
    await x
      .insertInto('support_totals')
      .values({
        recipient: e.recipient,
        avenue: e.avenue,
        author: e.provider,
        tlp: e.tlp,
        audience: encodeAudience(e.audience),
        currency: e.amount?.currency ?? '',
        status,
        entries,
        amount_minor: minor,
      })
      .onConflict((oc) =>
        oc.columns(['recipient', 'avenue', 'author', 'tlp', 'audience', 'currency', 'status']).doUpdateSet((eb) => ({
          entries: eb('support_totals.entries', '+', entries),
          amount_minor: eb('support_totals.amount_minor', '+', minor),
        })),
      )
      .execute();
  }

  private async withHistory(x: Exec, rows: readonly SupportEntriesTable[]): Promise<SupportEntry[]> {
    if (rows.length === 0) return [];
    const steps = await x
      .selectFrom('support_history')
      .selectAll()
      .where(
        'entry_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('entry_id')
      .orderBy('seq')
      .execute();
    const by = new Map<string, StatusStep[]>();
    for (const s of steps) {
      const list = by.get(s.entry_id) ?? [];
      list.push({ status: s.status as SupportStatus, at: s.at, by: s.by_user });
      by.set(s.entry_id, list);
    }
    return rows.map((r) => toEntry(r, by.get(r.id) ?? []));
  }
}

function toEntry(r: SupportEntriesTable, history: StatusStep[]): SupportEntry {
  return {
    id: r.id,
    provider: r.author,
    recipient: r.recipient,
    avenue: r.avenue as Avenue,
    description: r.description,
    amount:
      r.amount_minor === null || r.currency === null
        ? null
        : { value: fromMinor(num(r.amount_minor)), currency: r.currency },
    pledgedAt: r.pledged_at,
    status: r.status as SupportStatus,
    source: r.source,
    sourceGrade: r.source_grade,
    tlp: isTlp(r.tlp) ? r.tlp : 'red',
    audience: decodeAudience(r.audience),
    createdBy: r.created_by,
    created: r.created_at,
    modified: r.modified,
    history,
  };
}
