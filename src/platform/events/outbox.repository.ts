import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type NotNull, type SqlBool } from 'kysely';
import type { Schema } from '../db/schema.ts';
import type { DialectName } from '../db/dialect.ts';
import { releasableTo } from '../../kernel/access/releasability.sql.ts';
import { eventOfRow, type PublishedEvent, type PublishedRow } from './event.ts';
import { namedObjects, type CurrentReleases } from './current-release.ts';
import { isTlp } from '../../kernel/access/tlp.ts';
import { decodeAudience, type Reader, type Releasable } from '../../kernel/access/releasability.ts';

/** Advisory lock key held by the one relay that assigns event ids (PostgreSQL). */
export const RELAY_LOCK_KEY = 4700002;

const columns = ['event_id', 'event', 'object_id', 'author', 'tlp', 'audience', 'payload', 'created_at'] as const;

/** Reads and stamps the outbox. Kysely only; the rules live in the relay and the hub. */
export class OutboxRepository {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly dialect: DialectName,
  ) {}

  /**
   * The store's key for enciphering event ids (EventIdCodec), made on first use. Every instance on the
   * store reads the same one, so a subscriber resumes on any of them.
   */
  async eventIdKey(): Promise<Buffer> {
    const key = 'events.id-key';
    await this.db
      .insertInto('kv')
      .values({ key, value: randomBytes(16).toString('hex') })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const row = await this.db.selectFrom('kv').select('value').where('key', '=', key).executeTakeFirstOrThrow();
    return Buffer.from(row.value, 'hex');
  }

  /**
   * The next events to publish, in id order: those after `after` on SQLite, where a row gets its id as it is
   * inserted (migration 105: one writer, so ids follow commit order) and publishing only reads; on PostgreSQL
   * the oldest unpublished rows, which get their ids now (assignIds; `after` is not needed).
   */
  async nextToPublish(after: number, limit: number): Promise<PublishedEvent[]> {
    return this.dialect === 'sqlite' ? this.after(after, limit) : this.assignIds(limit);
  }

  /**
   * Gives the oldest unpublished rows (seq order) the next event ids, in one transaction that
   * holds the relay lock on PostgreSQL, so ids are dense and increase in commit (publish) order
   * even when several instances relay. Returns the stamped events in id order. On SQLite rows
   * have their ids from their insert (migration 105): there is nothing to stamp, and without the
   * index of unpublished rows the lookup would read the whole table.
   */
  async assignIds(limit: number): Promise<PublishedEvent[]> {
    if (!Number.isSafeInteger(limit) || limit < 1)
      throw new Error(`relay batch size ${limit} is not a positive integer`);
    if (this.dialect === 'sqlite') return [];
    return this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${RELAY_LOCK_KEY})`.execute(trx);
      return this.stamp(trx, limit);
    });
  }

  private async stamp(db: Kysely<Schema>, limit: number): Promise<PublishedEvent[]> {
    // The limit is a literal (a validated integer).
    const r = await sql<PublishedRow>`
        update outbox set event_id = b.base + x.rn
        from (select seq, row_number() over (order by seq) as rn
                from outbox where event_id is null order by seq limit ${sql.lit(limit)}) as x,
             (select coalesce((select o.event_id from outbox as o where o.event_id is not null
                                order by o.event_id desc limit 1), 0) as base) as b
        where outbox.seq = x.seq
        returning outbox.event_id, outbox.event, outbox.object_id, outbox.author, outbox.tlp,
                  outbox.audience, outbox.payload, outbox.created_at`.execute(db);
    return r.rows.map(eventOfRow).sort((a, b) => a.id - b.id);
  }

  /** Published events after `after`, in id order (every reader: the bus's source of truth). */
  async after(after: number, limit: number): Promise<PublishedEvent[]> {
    const rows = await this.db
      .selectFrom('outbox')
      .select(columns)
      .where('event_id', '>', after)
      .$narrowType<{ event_id: NotNull }>()
      .orderBy('event_id')
      .limit(limit)
      .execute();
    return rows.map(eventOfRow);
  }

  /** What `reader` may see after `after`, filtered in SQL by the releasability rule. */
  async replay(
    reader: Reader,
    after: number,
    names: ReadonlySet<string> | undefined,
    limit: number,
  ): Promise<PublishedEvent[]> {
    let q = this.db
      .selectFrom('outbox')
      .select(columns)
      .where('event_id', '>', after)
      .where(releasableTo(reader, 'outbox'))
      .$narrowType<{ event_id: NotNull }>();
    // An event about a stored object is replayed only while the reader may read the object's current
    // version: after a narrowing, events about its older, wider versions are withheld (issue 12, item 12).
    if (reader.kind !== 'system') {
      q = q.where(
        sql<SqlBool>`not exists (select 1 from objects l where l.id = outbox.object_id and l.author = outbox.author and l.is_latest = 1 and not (${releasableTo(reader, 'l')}))`,
      );
    }
    if (names) q = q.where('event', 'in', [...names]);
    const rows = await q.orderBy('event_id').limit(limit).execute();
    return rows.map(eventOfRow);
  }

  /**
   * The current release of the objects a batch of events names (the latest version of each author), so
   * that delivery decides against it: one indexed read per batch, 500 ids at a time.
   */
  async currentReleases(events: readonly PublishedEvent[]): Promise<CurrentReleases> {
    const ids = [...new Set(events.flatMap(namedObjects))];
    const out = new Map<string, Releasable[]>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db
        .selectFrom('objects')
        .select(['id', 'author', 'tlp', 'audience'])
        .where('id', 'in', ids.slice(i, i + 500))
        .where('is_latest', '=', 1)
        .execute();
      for (const r of rows) {
        const list = out.get(r.id) ?? [];
        // An unknown level fails closed, as for events.
        list.push({ author: r.author, tlp: isTlp(r.tlp) ? r.tlp : 'red', audience: decodeAudience(r.audience) });
        out.set(r.id, list);
      }
    }
    return out;
  }

  async maxEventId(): Promise<number> {
    // order by … limit 1 is an index seek on both databases (max() inside expressions is not).
    const r = await this.db
      .selectFrom('outbox')
      .select('event_id')
      .where('event_id', 'is not', null)
      .orderBy('event_id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return Number(r?.event_id ?? 0);
  }

  /** The oldest event id still kept, or undefined when none was published. */
  async minEventId(): Promise<number | undefined> {
    const r = await this.db
      .selectFrom('outbox')
      .select('event_id')
      .where('event_id', 'is not', null)
      .orderBy('event_id')
      .limit(1)
      .executeTakeFirst();
    return r?.event_id === null || r?.event_id === undefined ? undefined : Number(r.event_id);
  }

  /**
   * Deletes published events older than `createdBefore` and all but the newest `keepRows`;
   * unpublished rows are never touched. The newest event always stays, so ids never restart.
   */
  async prune(createdBefore: string, keepRows: number): Promise<number> {
    const max = await this.maxEventId();
    if (max === 0) return 0;
    const r = await this.db
      .deleteFrom('outbox')
      .where('event_id', 'is not', null)
      .where('event_id', '<', max)
      .where((eb) => eb.or([eb('created_at', '<', createdBefore), eb('event_id', '<=', max - keepRows)]))
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
