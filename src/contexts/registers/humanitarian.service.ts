import { validation } from '../../platform/errors.ts';
import type { Actor, UserActor } from '../../kernel/access/actor.ts';
import type { Reader } from '../../kernel/access/releasability.ts';
import {
  fundingGaps,
  latestPerAreaAndSector,
  type FundingGap,
  type HumanitarianNeed,
  type SupportTotals,
} from './humanitarian.ts';
import type { CreateNeedInput, NeedListQueryT } from './humanitarian.schema.ts';
import { SUMMARY_SCAN, type NeedFilter } from './humanitarian.repository.ts';
import { NEED_TYPE, needToStix } from './registers.stix.ts';
import { RecordRegister, type RecordDeps } from './registers.records.ts';

export interface HumanitarianDeps extends RecordDeps<HumanitarianNeed, NeedFilter> {
  /** Humanitarian support per recipient and currency that the reader may read (the support register). */
  support: (reader: Reader) => Promise<SupportTotals[]>;
}

/** Humanitarian needs by area and sector, and their summary. */
export class HumanitarianService {
  private readonly records: RecordRegister<HumanitarianNeed, NeedFilter>;

  constructor(private readonly d: HumanitarianDeps) {
    this.records = new RecordRegister(d, {
      noun: 'humanitarian need',
      type: NEED_TYPE,
      created: 'humanitarian.created',
      payload: (n) => ({ area: n.area, sector: n.sector, asOf: n.asOf }),
      toStix: needToStix,
      key: (n) => n.asOf,
    });
  }

  async create(actor: UserActor, input: CreateNeedInput): Promise<HumanitarianNeed> {
    if (input.peopleReached !== undefined && input.peopleReached > input.peopleInNeed)
      throw validation('peopleReached', 'must not exceed peopleInNeed');
    return this.records.create(actor, input.audience, (common) => ({
      ...common,
      area: input.area,
      sector: input.sector,
      peopleInNeed: input.peopleInNeed,
      peopleReached: input.peopleReached ?? null,
      fundingRequired: input.fundingRequired ?? null,
      fundingReceived: input.fundingReceived ?? null,
      asOf: input.asOf,
      source: input.source,
      tlp: input.tlp,
    }));
  }

  async get(actor: Actor, id: string): Promise<HumanitarianNeed> {
    return this.records.get(actor, id);
  }

  async list(reader: Reader, q: NeedListQueryT): Promise<{ items: HumanitarianNeed[]; next: string | null }> {
    return this.records.list(reader, q);
  }

  /** The latest readable need per area and sector (as of `asOf` when given), and the gap to support. */
  async summary(reader: Reader, asOf?: string): Promise<{ items: HumanitarianNeed[]; gaps: FundingGap[] }> {
    const items = latestPerAreaAndSector(await this.d.repo.list(reader, { asOfUntil: asOf, limit: SUMMARY_SCAN }));
    return { items, gaps: fundingGaps(items, await this.d.support(reader)) };
  }
}
