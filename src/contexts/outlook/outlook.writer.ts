import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { DomainError, notFound, validation } from '../../platform/errors.ts';
import { cursorAfter, pageOf } from '../../platform/keyset.ts';
import { appendToOutbox, type EventNotifier, type OutgoingEvent } from '../../platform/events/outbox.ts';
import { readerOf, type Actor, type UserActor } from '../../kernel/access/actor.ts';
import { canRead, type Reader } from '../../kernel/access/releasability.ts';
import type { KnowledgeService } from '../knowledge/knowledge.service.ts';
import { ingestOwned } from '../knowledge/owned-types.service.ts';
import type { After, OutlookRepository } from './outlook.repository.ts';
import type { Released } from './outlook.ts';

/** Which of these ids (objects of the STIX store) the reader may read. */
export type ReadableIds = (reader: Reader, ids: readonly string[]) => Promise<Set<string>>;

export interface OutlookDeps {
  repo: OutlookRepository;
  knowledge: KnowledgeService;
  clock: Clock;
  notifier: EventNotifier;
  readableObjects: ReadableIds;
}

/**
 * What every outlook write shares: one transaction holding the change, its STIX objects in the knowledge
 * store (under the object's release, so TAXII and export present them) and its outbox events.
 */
export class OutlookWriter {
  readonly db: Kysely<Schema>;
  constructor(readonly d: OutlookDeps) {
    this.db = d.repo.db;
  }

  now(): Date {
    return this.d.clock.now();
  }

  async transaction<T>(fn: (trx: Transaction<Schema>) => Promise<T>): Promise<T> {
    const out = await this.db.transaction().execute(fn);
    this.d.notifier.nudge();
    return out;
  }

  /** Stores new versions of the object's STIX form; a refusal by the store rolls the whole write back. */
  async mirror(trx: Transaction<Schema>, actor: UserActor, rel: Released, objects: Record<string, unknown>[]) {
    const report = await ingestOwned(
      this.d.knowledge,
      trx,
      actor,
      objects.map((value, index) => ({ index, value })),
      { defaultTlp: rel.tlp, audience: rel.audience },
    );
    if (report.rejected.length > 0)
      throw new DomainError(
        'unprocessable',
        `the STIX form was refused by the store: ${report.rejected[0]!.message}`,
        undefined,
        report.rejected.map((r) => ({ message: r.message, ...(r.id ? { objectId: r.id } : {}) })),
      );
  }

  async announce(
    trx: Transaction<Schema>,
    rel: Released,
    objectId: string,
    events: ReadonlyArray<{ event: string; payload: Record<string, unknown> }>,
  ): Promise<void> {
    const out: OutgoingEvent[] = events.map((e) => ({
      event: e.event,
      objectId,
      author: rel.author,
      tlp: rel.tlp,
      audience: rel.audience,
      payload: e.payload,
    }));
    await appendToOutbox(trx, out, this.now().toISOString());
  }

  /** The object when the actor may read it; hidden and missing are both "not found". */
  readable<T extends Released>(actor: Actor | null, obj: T | undefined, what: string): T {
    if (!obj || !canRead(readerOf(actor), obj)) throw notFound(what);
    return obj;
  }

  /** The ids the reader may read among `ids` (objects of the STIX store). */
  async readableIds(actor: Actor | null, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const out = new Set<string>();
    for (let i = 0; i < ids.length; i += 500)
      for (const id of await this.d.readableObjects(readerOf(actor), ids.slice(i, i + 500))) out.add(id);
    return out;
  }
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * The position a list's `cursor` names, read by the shared keyset codec (platform/keyset.ts): a cursor
 * this list gave holds a creation time and the id of an object of the list's STIX type. Anything else,
 * a malformed cursor or one another list gave, is a 400 naming the cursor.
 */
export function listPosition(cursor: string | undefined, type: string): After | undefined {
  const at = cursorAfter(cursor);
  if (!at) return undefined;
  if (!ISO_INSTANT.test(at.key) || !at.id.startsWith(`${type}--`))
    throw validation('query.cursor', 'is not a cursor this list gave');
  return { createdAt: at.key, id: at.id };
}

/** A page of `limit` rows from limit + 1 read (newest first), with the next page's cursor. */
export function pageOfRows(rows: After[], limit: number): { items: After[]; next: string | null } {
  return pageOf(rows, limit, (r) => r.createdAt);
}
