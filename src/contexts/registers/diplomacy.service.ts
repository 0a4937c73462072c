import { systemActor, type Actor, type UserActor } from '../../kernel/access/actor.ts';
import type { Reader } from '../../kernel/access/releasability.ts';
import { NO_AUTHOR } from '../sharing/identity.ts';
import type { DiplomaticEvent } from './diplomacy.ts';
import type { CreateEventInput, EventListQueryT } from './diplomacy.schema.ts';
import type { EventFilter } from './diplomacy.repository.ts';
import { EVENT_TYPE, eventToStix } from './registers.stix.ts';
import { mirror } from './registers.store.ts';
import { RecordRegister, releasedOf, type RecordDeps } from './registers.records.ts';

export type DiplomacyDeps = RecordDeps<DiplomaticEvent, EventFilter>;

/** The seeded record is published by this named system actor. */
export const DIPLOMACY_SEED = systemActor('registers-diplomacy-record');

/** The diplomatic track: events with parties, dates, status and sources. */
export class DiplomacyService {
  private readonly records: RecordRegister<DiplomaticEvent, EventFilter>;

  constructor(private readonly d: DiplomacyDeps) {
    this.records = new RecordRegister(d, {
      noun: 'diplomatic event',
      type: EVENT_TYPE,
      created: 'diplomacy.created',
      payload: (e) => ({ kind: e.kind, status: e.status, startedAt: e.startedAt }),
      toStix: eventToStix,
      key: (e) => e.startedAt,
    });
  }

  async create(actor: UserActor, input: CreateEventInput): Promise<DiplomaticEvent> {
    return this.records.create(actor, input.audience, (common) => ({
      ...common,
      title: input.title,
      kind: input.kind,
      startedAt: input.startedAt,
      endedAt: input.endedAt ?? null,
      parties: input.parties,
      status: input.status,
      summary: input.summary,
      sources: input.sources,
      tlp: input.tlp,
    }));
  }

  async get(actor: Actor, id: string): Promise<DiplomaticEvent> {
    return this.records.get(actor, id);
  }

  async list(reader: Reader, q: EventListQueryT): Promise<{ items: DiplomaticEvent[]; next: string | null }> {
    return this.records.list(reader, q);
  }

  /** Publishes the seeded record (migration 051) over TAXII; storing the same versions again changes nothing. */
  async publishRecord(): Promise<void> {
    const seeded = await this.d.repo.list(
      { kind: 'system', name: DIPLOMACY_SEED.name },
      { author: NO_AUTHOR, limit: 500 },
    );
    if (seeded.length === 0) return;
    await this.d.repo.base.transaction().execute(async (trx) => {
      for (const e of seeded) await mirror(this.d.knowledge, trx, DIPLOMACY_SEED, eventToStix(e), releasedOf(e));
    });
  }
}
