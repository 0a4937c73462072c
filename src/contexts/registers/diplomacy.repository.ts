import type { Kysely } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import { decodeAudience, encodeAudience, type Reader } from '../../kernel/access/releasability.ts';
import { releasableTo } from '../../kernel/access/releasability.sql.ts';
import { isTlp } from '../../kernel/access/tlp.ts';
import type { DiplomaticEvent, EventKind, EventStatus } from './diplomacy.ts';
import { registersDb, type DiplomaticEventsTable, type Exec, type RegistersDb } from './registers.tables.ts';

export interface EventFilter {
  /** Events overlapping [from, to]. */
  from?: string | undefined;
  to?: string | undefined;
  kind?: EventKind | undefined;
  author?: string | undefined;
  limit: number;
  /** Keyset: events after (startedAt, id) in timeline order (oldest first). */
  after?: { key: string; id: string } | undefined;
}

/** diplomatic_events. No business rules. */
export class DiplomacyRepository {
  readonly db: RegistersDb;
  constructor(readonly base: Kysely<Schema>) {
    this.db = registersDb(base);
  }

  async insert(x: Exec, e: DiplomaticEvent): Promise<void> {
    await x
      .insertInto('diplomatic_events')
      .values({
        id: e.id,
        author: e.author,
        created_by: e.createdBy,
        title: e.title,
        kind: e.kind,
        started_at: e.startedAt,
        ended_at: e.endedAt,
        parties: JSON.stringify(e.parties),
        status: e.status,
        summary: e.summary,
        sources: JSON.stringify(e.sources),
        tlp: e.tlp,
        audience: encodeAudience(e.audience),
        created_at: e.created,
        modified: e.modified,
      })
      .execute();
  }

  async load(id: string, x: Exec = this.db): Promise<DiplomaticEvent | undefined> {
    const row = await x.selectFrom('diplomatic_events').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toEvent(row);
  }

  async remove(x: Exec, id: string): Promise<void> {
    await x.deleteFrom('diplomatic_events').where('id', '=', id).execute();
  }

  /** Events the reader may read (releasability in SQL), in timeline order, keyset-paged. */
  async list(reader: Reader, f: EventFilter): Promise<DiplomaticEvent[]> {
    let q = this.db.selectFrom('diplomatic_events as e').selectAll('e').where(releasableTo(reader, 'e'));
    if (f.kind) q = q.where('e.kind', '=', f.kind);
    if (f.author) q = q.where('e.author', '=', f.author);
    if (f.to) q = q.where('e.started_at', '<=', f.to);
    if (f.from) {
      const from = f.from;
      q = q.where((eb) =>
        eb.or([eb('e.ended_at', '>=', from), eb.and([eb('e.ended_at', 'is', null), eb('e.started_at', '>=', from)])]),
      );
    }
    if (f.after) {
      const a = f.after;
      q = q.where((eb) =>
        eb.or([eb('e.started_at', '>', a.key), eb.and([eb('e.started_at', '=', a.key), eb('e.id', '>', a.id)])]),
      );
    }
    const rows = await q.orderBy('e.started_at').orderBy('e.id').limit(f.limit).execute();
    return rows.map(toEvent);
  }
}

function toEvent(r: DiplomaticEventsTable): DiplomaticEvent {
  return {
    id: r.id,
    author: r.author,
    title: r.title,
    kind: r.kind as EventKind,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    parties: JSON.parse(r.parties) as string[],
    status: r.status as EventStatus,
    summary: r.summary,
    sources: JSON.parse(r.sources) as string[],
    tlp: isTlp(r.tlp) ? r.tlp : 'red',
    audience: decodeAudience(r.audience),
    createdBy: r.created_by,
    created: r.created_at,
    modified: r.modified,
  };
}
