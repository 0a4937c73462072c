import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { DomainError, notFound } from '../../platform/errors.ts';
import { appendToOutbox, type EventNotifier, type OutgoingEvent } from '../../platform/events/outbox.ts';
import { readerOf, type Actor, type UserActor } from '../../kernel/access/actor.ts';
import { canRead, type Reader } from '../../kernel/access/releasability.ts';
import type { KnowledgeService } from '../knowledge/knowledge.service.ts';
import { ingestOwned } from '../knowledge/owned-types.service.ts';
import type { OutlookRepository } from './outlook.repository.ts';
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

export function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(`${createdAt}|${id}`, 'utf8').toString('base64url');
}

/** A cursor this server made, or a 400 naming `cursor`. */
export function decodeCursor(cursor: string | undefined): { createdAt: string; id: string } | undefined {
  if (cursor === undefined) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const bar = text.indexOf('|');
  if (bar < 20 || bar > 40 || text.length - bar > 310)
    throw new DomainError('validation', 'cursor: not a cursor this server gave', 'cursor');
  return { createdAt: text.slice(0, bar), id: text.slice(bar + 1) };
}
