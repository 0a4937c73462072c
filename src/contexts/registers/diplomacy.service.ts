import { randomUUID } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import { notFound } from '../../platform/errors.ts';
import type { EventNotifier } from '../../platform/events/outbox.ts';
import { readerOf, systemActor, type Actor, type UserActor } from '../../kernel/access/actor.ts';
import { canRead, type Reader } from '../../kernel/access/releasability.ts';
import { NO_AUTHOR } from '../sharing/identity.ts';
import { assertAudience } from '../sharing/audience.service.ts';
import type { KnowledgeService } from '../knowledge/knowledge.service.ts';
import type { DiplomaticEvent } from './diplomacy.ts';
import type { CreateEventInput, EventListQueryT } from './diplomacy.schema.ts';
import type { DiplomacyRepository } from './diplomacy.repository.ts';
import { EVENT_TYPE, eventToStix } from './registers.stix.ts';
import { announce, mirror, type Released } from './registers.store.ts';
import { registersTrx } from './registers.tables.ts';
import { cursorAfter, pageOf } from '../../platform/keyset.ts';

export interface DiplomacyDeps {
  repo: DiplomacyRepository;
  knowledge: KnowledgeService;
  clock: Clock;
  notifier: EventNotifier;
}

/** The seeded record is published by this named system actor. */
export const DIPLOMACY_SEED = systemActor('registers-diplomacy-record');

const released = (e: DiplomaticEvent): Released => ({ id: e.id, author: e.author, tlp: e.tlp, audience: e.audience });

/** The diplomatic track: events with parties, dates, status and sources. */
export class DiplomacyService {
  constructor(private readonly d: DiplomacyDeps) {}

  async create(actor: UserActor, input: CreateEventInput): Promise<DiplomaticEvent> {
    await assertAudience(this.d.repo.base, input.audience);
    const now = this.d.clock.now();
    const at = now.toISOString();
    const e: DiplomaticEvent = {
      id: `${EVENT_TYPE}--${randomUUID()}`,
      author: actor.org,
      title: input.title,
      kind: input.kind,
      startedAt: input.startedAt,
      endedAt: input.endedAt ?? null,
      parties: input.parties,
      status: input.status,
      summary: input.summary,
      sources: input.sources,
      tlp: input.tlp,
      audience: [...new Set(input.audience ?? [])].sort(),
      createdBy: actor.userName,
      created: at,
      modified: at,
    };
    await this.d.repo.base.transaction().execute(async (trx) => {
      await this.d.repo.insert(registersTrx(trx), e);
      await mirror(this.d.knowledge, trx, actor, eventToStix(e), released(e));
      await announce(
        trx,
        'diplomacy.created',
        released(e),
        { kind: e.kind, status: e.status, startedAt: e.startedAt },
        now,
      );
    });
    this.d.notifier.nudge();
    return e;
  }

  async get(actor: Actor, id: string): Promise<DiplomaticEvent> {
    const e = await this.d.repo.load(id);
    if (!e || !canRead(readerOf(actor), e)) throw notFound(`diplomatic event ${id}`);
    return e;
  }

  async list(reader: Reader, q: EventListQueryT): Promise<{ items: DiplomaticEvent[]; next: string | null }> {
    const rows = await this.d.repo.list(reader, { ...q, limit: q.limit + 1, after: cursorAfter(q.cursor) });
    return pageOf(rows, q.limit, (r) => r.startedAt);
  }

  /** Publishes the seeded record (migration 051) over TAXII; storing the same versions again changes nothing. */
  async publishRecord(): Promise<void> {
    const seeded = await this.d.repo.list(
      { kind: 'system', name: DIPLOMACY_SEED.name },
      { author: NO_AUTHOR, limit: 500 },
    );
    if (seeded.length === 0) return;
    await this.d.repo.base.transaction().execute(async (trx) => {
      for (const e of seeded) await mirror(this.d.knowledge, trx, DIPLOMACY_SEED, eventToStix(e), released(e));
    });
  }
}
