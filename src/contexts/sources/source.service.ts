import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { UserActor } from '../../kernel/access/actor.ts';
import { decodeAudience, encodeAudience } from '../../kernel/access/releasability.ts';
import type { Tlp } from '../../kernel/access/tlp.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Schema } from '../../platform/db/schema.ts';
import { notFound, validation } from '../../platform/errors.ts';
import { assertAudience } from '../sharing/audience.service.ts';
import type { CreateSourceInput, SourceViewT } from './sources.schema.ts';
import { sourcesDb, type SourcesDb, type SourcesTables } from './sources.tables.ts';

type Row = SourcesTables['sources_sources'];
export const DEFAULT_POLL_SECONDS = 900;

/** An organisation's own sources, visible to it alone; feeds carry their poll schedule and last error. */
export class SourceService {
  readonly db: Kysely<SourcesDb>;
  constructor(
    db: Kysely<Schema>,
    private readonly clock: Clock,
    private readonly onScheduled: (at: number) => void = () => undefined,
  ) {
    this.db = sourcesDb(db);
  }

  async create(actor: UserActor, input: CreateSourceInput): Promise<SourceViewT> {
    await assertAudience(this.db as unknown as Kysely<Schema>, input.audience);
    if (input.kind !== 'manual' && input.url === undefined)
      throw validation('url', `is required for a ${input.kind} source`);
    const now = this.clock.now().getTime();
    const feed = input.kind === 'feed';
    const row: Row = {
      id: `source--${randomUUID()}`,
      author: actor.org,
      name: input.name,
      kind: input.kind,
      url: input.url ?? null,
      reliability: input.reliability,
      poll_seconds: feed ? (input.pollSeconds ?? DEFAULT_POLL_SECONDS) : null,
      tlp: input.tlp,
      audience: encodeAudience(input.audience ?? []),
      created_by: actor.userId,
      created_at: new Date(now).toISOString(),
      next_poll_at: feed ? new Date(now).toISOString() : null,
      last_polled_at: null,
      last_error: null,
    };
    await this.db.insertInto('sources_sources').values(row).execute();
    if (feed) this.onScheduled(now);
    return present(row);
  }

  async list(actor: UserActor): Promise<SourceViewT[]> {
    const rows = await this.db
      .selectFrom('sources_sources')
      .selectAll()
      .where('author', '=', actor.org)
      .orderBy('created_at')
      .limit(1000)
      .execute();
    return rows.map(present);
  }

  async get(actor: UserActor, id: string): Promise<SourceViewT> {
    const row = await this.db.selectFrom('sources_sources').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || row.author !== actor.org) throw notFound(`source ${id}`);
    return present(row);
  }
}

export function present(r: Row): SourceViewT {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind as SourceViewT['kind'],
    url: r.url,
    reliability: r.reliability as SourceViewT['reliability'],
    pollSeconds: r.poll_seconds,
    tlp: r.tlp as Tlp,
    audience: decodeAudience(r.audience),
    author: r.author,
    createdAt: r.created_at,
    lastPolledAt: r.last_polled_at,
    nextPollAt: r.next_poll_at,
    lastError: r.last_error,
  };
}
