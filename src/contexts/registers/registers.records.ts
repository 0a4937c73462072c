/**
 * What the diplomatic track and the humanitarian register share: records written once by their author
 * organisation (no state machine), each write storing the row, its STIX copy and its stream event in one
 * transaction; read one by id (404 when the reader may not read it) or as keyset pages the repository
 * filters by releasability in SQL.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { notFound } from '../../platform/errors.ts';
import type { EventNotifier } from '../../platform/events/outbox.ts';
import { readerOf, type Actor, type UserActor } from '../../kernel/access/actor.ts';
import { canRead, type Reader } from '../../kernel/access/releasability.ts';
import type { Tlp } from '../../kernel/access/tlp.ts';
import { assertAudience } from '../sharing/audience.service.ts';
import type { KnowledgeService } from '../knowledge/knowledge.service.ts';
import { announce, mirror, type Released } from './registers.store.ts';
import { registersTrx, type Exec } from './registers.tables.ts';
import { cursorAfter, pageOf, type Position } from '../../platform/keyset.ts';

/** A record as every register keeps it: its id, author and release, and when it was written. */
export interface RegisterRecord {
  id: string;
  author: string;
  tlp: Tlp;
  audience: string[];
  createdBy: string;
  created: string;
  modified: string;
}

/** The repository a record register needs (diplomacy.repository.ts, humanitarian.repository.ts). */
export interface RecordRepository<T, F> {
  readonly base: Kysely<Schema>;
  insert(x: Exec, record: T): Promise<void>;
  load(id: string): Promise<T | undefined>;
  list(reader: Reader, filter: F & { limit: number; after?: Position | undefined }): Promise<T[]>;
}

/** What differs between record registers. */
export interface RecordKind<T> {
  /** "diplomatic event": the 404 says what was not found. */
  noun: string;
  /** The STIX type (the id's prefix). */
  type: string;
  /** The stream event of a new record, e.g. `diplomacy.created`, and the fields its data carries. */
  created: string;
  payload(record: T): Record<string, unknown>;
  toStix(record: T): Record<string, unknown>;
  /** The list's order key (the cursor's key). */
  key(record: T): string;
}

export interface RecordDeps<T, F> {
  repo: RecordRepository<T, F>;
  knowledge: KnowledgeService;
  clock: Clock;
  notifier: EventNotifier;
}

export const releasedOf = (r: RegisterRecord): Released => ({
  id: r.id,
  author: r.author,
  tlp: r.tlp,
  audience: r.audience,
});

/** The writes and reads every record register does the same way. */
export class RecordRegister<T extends RegisterRecord, F> {
  constructor(
    readonly d: RecordDeps<T, F>,
    private readonly kind: RecordKind<T>,
  ) {}

  /**
   * Stores a new record of the actor's organisation: `build` makes it from its id, the writing time and the
   * audience (checked, deduplicated and sorted); the row, its STIX copy and its event commit together.
   */
  async create(
    actor: UserActor,
    audience: readonly string[] | undefined,
    build: (common: Omit<RegisterRecord, 'tlp'>) => T,
  ): Promise<T> {
    await assertAudience(this.d.repo.base, audience);
    const now = this.d.clock.now();
    const at = now.toISOString();
    const record = build({
      id: `${this.kind.type}--${randomUUID()}`,
      author: actor.org,
      audience: [...new Set(audience ?? [])].sort(),
      createdBy: actor.userName,
      created: at,
      modified: at,
    });
    await this.d.repo.base.transaction().execute(async (trx) => {
      await this.d.repo.insert(registersTrx(trx), record);
      await mirror(this.d.knowledge, trx, actor, this.kind.toStix(record), releasedOf(record));
      await announce(trx, this.kind.created, releasedOf(record), this.kind.payload(record), now);
    });
    this.d.notifier.nudge();
    return record;
  }

  async get(actor: Actor, id: string): Promise<T> {
    const r = await this.d.repo.load(id);
    if (!r || !canRead(readerOf(actor), r)) throw notFound(`${this.kind.noun} ${id}`);
    return r;
  }

  async list(
    reader: Reader,
    q: F & { limit: number; cursor?: string | undefined },
  ): Promise<{ items: T[]; next: string | null }> {
    const rows = await this.d.repo.list(reader, { ...q, limit: q.limit + 1, after: cursorAfter(q.cursor) });
    return pageOf(rows, q.limit, (r) => this.kind.key(r));
  }
}
