import { randomUUID } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import { conflict, forbidden, notFound, validation } from '../../platform/errors.ts';
import type { EventNotifier } from '../../platform/events/outbox.ts';
import { readerOf, type Actor, type UserActor } from '../../kernel/access/actor.ts';
import { canRead, decodeAudience, type Reader } from '../../kernel/access/releasability.ts';
import { isTlp, type Tlp } from '../../kernel/access/tlp.ts';
import { assertAudience } from '../sharing/audience.service.ts';
import type { KnowledgeService } from '../knowledge/knowledge.service.ts';
import { advance, summarise, transitionProblem, type SupportEntry, type SupportSummary } from './support.ts';
import type { CreateSupportInput, PatchSupportInput, SupportListQueryT } from './support.schema.ts';
import type { SupportFilter, SupportRepository } from './support.repository.ts';
import { SUPPORT_TYPE, supportToStix } from './registers.stix.ts';
import { announce, mirror, nextModified, type Released } from './registers.store.ts';
import { registersTrx } from './registers.tables.ts';
import { cursorAfter, pageOf } from '../../platform/keyset.ts';
import { isAuthor } from './registers.policy.ts';
import { fromMinor } from './money.ts';
import type { SupportTotals } from './humanitarian.ts';

export interface SupportDeps {
  repo: SupportRepository;
  knowledge: KnowledgeService;
  clock: Clock;
  notifier: EventNotifier;
}

/** Readers × recipients whose summaries are kept (the oldest is dropped first). */
const SUMMARY_MEMO = 256;

const released = (e: SupportEntry): Released => ({ id: e.id, author: e.provider, tlp: e.tlp, audience: e.audience });

/** The register of support to partners: every change, its STIX copy and its event commit together. */
export class SupportService {
  /** Summaries per reader and recipient with the totals generation they were computed at (at most SUMMARY_MEMO). */
  private readonly summaries = new Map<string, { generation: number; summary: SupportSummary }>();

  constructor(private readonly d: SupportDeps) {}

  async create(actor: UserActor, input: CreateSupportInput): Promise<SupportEntry> {
    return (await this.createMany(actor, [input]))[0]!;
  }

  /** Several entries in one transaction (CSV import): all are stored, or none. */
  async createMany(
    actor: UserActor,
    inputs: readonly CreateSupportInput[],
    field = (i: number, f: string) => f,
  ): Promise<SupportEntry[]> {
    const now = this.d.clock.now();
    const entries: SupportEntry[] = [];
    for (const [i, input] of inputs.entries()) {
      await assertAudience(this.d.repo.base, input.audience, { field: field(i, 'audience') });
      await this.assertRecipient(input.recipient, field(i, 'recipient'));
      entries.push(this.draft(actor, input, now));
    }
    await this.d.repo.base.transaction().execute(async (trx) => {
      for (const e of entries) {
        await this.d.repo.insert(registersTrx(trx), e);
        await mirror(this.d.knowledge, trx, actor, supportToStix(e), released(e));
        await announce(trx, 'support.created', released(e), this.payload(e), now);
      }
    });
    this.d.notifier.nudge();
    return entries;
  }

  /** Moves an entry forward (409 otherwise), by its provider only; the history keeps every step. */
  async patch(actor: UserActor, id: string, input: PatchSupportInput): Promise<SupportEntry> {
    const now = this.d.clock.now();
    const result = await this.d.repo.base.transaction().execute(async (trx) => {
      const x = registersTrx(trx);
      const found = await this.d.repo.load(x, id);
      if (!found || !canRead(readerOf(actor), { ...found.entry, author: found.entry.provider }))
        throw notFound(`support entry ${id}`);
      const e = found.entry;
      if (!isAuthor(actor, { author: e.provider })) throw forbidden('only the provider may change a support entry');
      const problem = transitionProblem(e.status, input.status);
      if (problem) throw conflict(problem, 'status');
      const last = e.history[e.history.length - 1]!;
      if (input.at < last.at) throw validation('at', `must not be before the last step (${last.status} at ${last.at})`);
      const next = advance(e, input.status, input.at, actor.userName, nextModified(now, e.modified));
      if (!(await this.d.repo.transition(x, e, next, found.version)))
        throw conflict('the entry changed concurrently; read it again', 'status');
      await mirror(this.d.knowledge, trx, actor, supportToStix(next), released(next));
      await announce(trx, 'support.updated', released(next), this.payload(next), now);
      return next;
    });
    this.d.notifier.nudge();
    return result;
  }

  async get(actor: Actor, id: string): Promise<SupportEntry> {
    const found = await this.d.repo.load(this.d.repo.db, id);
    if (!found || !canRead(readerOf(actor), { ...found.entry, author: found.entry.provider }))
      throw notFound(`support entry ${id}`);
    return found.entry;
  }

  async list(
    reader: Reader,
    q: SupportListQueryT & Pick<SupportFilter, 'from' | 'to'>,
  ): Promise<{ items: SupportEntry[]; next: string | null }> {
    const rows = await this.d.repo.list(reader, { ...q, limit: q.limit + 1, after: cursorAfter(q.cursor) });
    return pageOf(rows, q.limit, (r) => r.pledgedAt);
  }

  /**
   * The reader's summary. It is a function of the totals and the reader (organisation and kind) alone, so
   * one computed at the totals' current generation is reused until a write moves the generation (on any
   * server sharing the store: the generation is a row written in every write's transaction).
   */
  async summary(reader: Reader, recipient?: string): Promise<SupportSummary> {
    const generation = await this.d.repo.generation();
    const key = reader.kind === 'org' ? `${reader.org}|${reader.orgKind}|${recipient ?? ''}` : undefined;
    const kept = key === undefined ? undefined : this.summaries.get(key);
    if (kept?.generation === generation) return structuredClone(kept.summary);
    const summary = summarise(await this.d.repo.cells(reader, recipient));
    if (key !== undefined) {
      this.summaries.delete(key);
      if (this.summaries.size >= SUMMARY_MEMO) this.summaries.delete(this.summaries.keys().next().value!);
      this.summaries.set(key, { generation, summary: structuredClone(summary) });
    }
    return summary;
  }

  /** The releases a summary for this reader is made of (a briefing's TLP takes them in). */
  async summaryReleases(reader: Reader): Promise<Array<{ author: string; tlp: Tlp; audience: string[] }>> {
    return (await this.d.repo.releaseClasses(reader)).map((r) => ({
      author: r.author,
      tlp: isTlp(r.tlp) ? r.tlp : 'red',
      audience: decodeAudience(r.audience),
    }));
  }

  /** Humanitarian support per recipient and currency (the gap to stated needs). */
  async humanitarianTotals(reader: Reader): Promise<SupportTotals[]> {
    const by = new Map<string, SupportTotals>();
    for (const r of await this.d.repo.humanitarianTotals(reader)) {
      if (r.status === 'cancelled') continue;
      const k = `${r.recipient}|${r.currency}`;
      const t = by.get(k) ?? { recipient: r.recipient, currency: r.currency, pledged: 0, allocated: 0, delivered: 0 };
      t[r.status as 'pledged' | 'allocated' | 'delivered'] += fromMinor(r.minor);
      by.set(k, t);
    }
    return [...by.values()];
  }

  private draft(actor: UserActor, input: CreateSupportInput, now: Date): SupportEntry {
    const at = now.toISOString();
    return {
      id: `${SUPPORT_TYPE}--${randomUUID()}`,
      provider: actor.org,
      recipient: input.recipient,
      avenue: input.avenue,
      description: input.description,
      amount: input.amount ?? null,
      pledgedAt: input.pledgedAt,
      status: input.status,
      source: input.source ?? null,
      sourceGrade: input.sourceGrade ?? null,
      tlp: input.tlp,
      audience: [...new Set(input.audience ?? [])].sort(),
      createdBy: actor.userName,
      created: at,
      modified: at,
      history: [{ status: input.status, at: input.pledgedAt, by: actor.userName }],
    };
  }

  /** The recipient is a partner organisation of the store (support goes to partners). */
  private async assertRecipient(code: string, field: string): Promise<void> {
    const org = await this.d.repo.db
      .selectFrom('organisations')
      .select('kind')
      .where('code', '=', code)
      .executeTakeFirst();
    if (!org) throw validation(field, `${code} is not an organisation; see GET /api/v1/members`);
    if (org.kind !== 'partner') throw validation(field, `${code} is a member, not a partner`);
  }

  private payload(e: SupportEntry): Record<string, unknown> {
    return { provider: e.provider, recipient: e.recipient, avenue: e.avenue, status: e.status, modified: e.modified };
  }
}
