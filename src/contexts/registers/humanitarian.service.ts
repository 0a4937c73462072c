import { randomUUID } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import { notFound, validation } from '../../platform/errors.ts';
import type { EventNotifier } from '../../platform/events/outbox.ts';
import { readerOf, type Actor, type UserActor } from '../../kernel/access/actor.ts';
import { canRead, type Reader } from '../../kernel/access/releasability.ts';
import { assertAudience } from '../sharing/audience.service.ts';
import type { KnowledgeService } from '../knowledge/knowledge.service.ts';
import {
  fundingGaps,
  latestPerAreaAndSector,
  type FundingGap,
  type HumanitarianNeed,
  type SupportTotals,
} from './humanitarian.ts';
import type { CreateNeedInput, NeedListQueryT } from './humanitarian.schema.ts';
import { SUMMARY_SCAN, type HumanitarianRepository } from './humanitarian.repository.ts';
import { NEED_TYPE, needToStix } from './registers.stix.ts';
import { announce, mirror, type Released } from './registers.store.ts';
import { registersTrx } from './registers.tables.ts';
import { cursorAfter, pageOf } from '../../platform/keyset.ts';

export interface HumanitarianDeps {
  repo: HumanitarianRepository;
  knowledge: KnowledgeService;
  clock: Clock;
  notifier: EventNotifier;
  /** Humanitarian support per recipient and currency that the reader may read (the support register). */
  support: (reader: Reader) => Promise<SupportTotals[]>;
}

const released = (n: HumanitarianNeed): Released => ({ id: n.id, author: n.author, tlp: n.tlp, audience: n.audience });

/** Humanitarian needs by area and sector, and their summary. */
export class HumanitarianService {
  constructor(private readonly d: HumanitarianDeps) {}

  async create(actor: UserActor, input: CreateNeedInput): Promise<HumanitarianNeed> {
    await assertAudience(this.d.repo.base, input.audience);
    if (input.peopleReached !== undefined && input.peopleReached > input.peopleInNeed)
      throw validation('peopleReached', 'must not exceed peopleInNeed');
    const now = this.d.clock.now();
    const at = now.toISOString();
    const n: HumanitarianNeed = {
      id: `${NEED_TYPE}--${randomUUID()}`,
      author: actor.org,
      area: input.area,
      sector: input.sector,
      peopleInNeed: input.peopleInNeed,
      peopleReached: input.peopleReached ?? null,
      fundingRequired: input.fundingRequired ?? null,
      fundingReceived: input.fundingReceived ?? null,
      asOf: input.asOf,
      source: input.source,
      tlp: input.tlp,
      audience: [...new Set(input.audience ?? [])].sort(),
      createdBy: actor.userName,
      created: at,
      modified: at,
    };
    await this.d.repo.base.transaction().execute(async (trx) => {
      await this.d.repo.insert(registersTrx(trx), n);
      await mirror(this.d.knowledge, trx, actor, needToStix(n), released(n));
      await announce(trx, 'humanitarian.created', released(n), { area: n.area, sector: n.sector, asOf: n.asOf }, now);
    });
    this.d.notifier.nudge();
    return n;
  }

  async get(actor: Actor, id: string): Promise<HumanitarianNeed> {
    const n = await this.d.repo.load(id);
    if (!n || !canRead(readerOf(actor), n)) throw notFound(`humanitarian need ${id}`);
    return n;
  }

  async list(reader: Reader, q: NeedListQueryT): Promise<{ items: HumanitarianNeed[]; next: string | null }> {
    const rows = await this.d.repo.list(reader, { ...q, limit: q.limit + 1, after: cursorAfter(q.cursor) });
    return pageOf(rows, q.limit, (r) => r.asOf);
  }

  /** The latest readable need per area and sector (as of `asOf` when given), and the gap to support. */
  async summary(reader: Reader, asOf?: string): Promise<{ items: HumanitarianNeed[]; gaps: FundingGap[] }> {
    const items = latestPerAreaAndSector(await this.d.repo.list(reader, { asOfUntil: asOf, limit: SUMMARY_SCAN }));
    return { items, gaps: fundingGaps(items, await this.d.support(reader)) };
  }
}
