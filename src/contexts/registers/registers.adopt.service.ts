/**
 * Register objects written as STIX through any path other than the register's own REST use cases
 * (TAXII POST, `bulwark import`, federation) enter the register: the knowledge store calls this inside the
 * write's transaction for every new latest version of the three register types. A version the register
 * wrote itself (same id and `modified` already in its table) is skipped. Otherwise the object is read back
 * into the REST input and checked with the same zod schema and rules (recipient a partner, the status
 * machine, people reached at most in need); its author, TLP and audience are those the store gave the
 * version, so releasability is the same as for a REST write. A version that fails a check stays a STIX
 * object only (the register keeps what it had, except that a release change always follows the latest
 * version, so the register is never wider than TAXII). A deleted or revoked object leaves the register.
 */
import type { Transaction } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import type { KnowledgeService, LatestChange } from '../knowledge/knowledge.service.ts';
import { decodeAudience, encodeAudience } from '../../kernel/access/releasability.ts';
import { isTlp, type Tlp } from '../../kernel/access/tlp.ts';
import { CreateSupportBody } from './support.schema.ts';
import { CreateEventBody } from './diplomacy.schema.ts';
import { CreateNeedBody } from './humanitarian.schema.ts';
import { transitionProblem, type StatusStep, type SupportEntry, type SupportStatus } from './support.ts';
import type { DiplomaticEvent } from './diplomacy.ts';
import type { HumanitarianNeed } from './humanitarian.ts';
import type { SupportRepository } from './support.repository.ts';
import type { DiplomacyRepository } from './diplomacy.repository.ts';
import type { HumanitarianRepository } from './humanitarian.repository.ts';
import { EVENT_TYPE, NEED_TYPE, SUPPORT_TYPE } from './registers.stix.ts';
import { announce, type Released } from './registers.store.ts';
import { registersTrx, type Exec } from './registers.tables.ts';

export const REGISTER_TYPES = [SUPPORT_TYPE, EVENT_TYPE, NEED_TYPE] as const;

type Obj = Record<string, unknown>;
interface Version {
  id: string;
  obj: Obj;
  author: string;
  tlp: Tlp;
  audience: string[];
  created: string;
  modified: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const sameTime = (a: string, b: string): boolean => Date.parse(a) === Date.parse(b);
const firstUrl = (o: Obj): string | undefined => urls(o)[0];
function urls(o: Obj): string[] {
  const refs = Array.isArray(o.external_references) ? (o.external_references as unknown[]) : [];
  return refs.flatMap((r) => {
    const url = r && typeof r === 'object' ? str((r as Obj).url) : undefined;
    return url ? [url] : [];
  });
}
/** Who a register row says wrote it when the write came as STIX (the transport does not tell the user). */
const stixWriter = (author: string): string => `${author} (STIX)`;

export class RegisterAdoption {
  constructor(
    private readonly d: {
      support: SupportRepository;
      diplomacy: DiplomacyRepository;
      humanitarian: HumanitarianRepository;
      clock: Clock;
    },
  ) {}

  async within(trx: Transaction<Schema>, changes: readonly LatestChange[]): Promise<void> {
    const x = registersTrx(trx);
    for (const c of changes) {
      const v = version(c);
      if (c.type === SUPPORT_TYPE) await this.support(trx, x, c.id, v);
      else if (c.type === EVENT_TYPE) await this.event(trx, x, c.id, v);
      else if (c.type === NEED_TYPE) await this.need(trx, x, c.id, v);
    }
  }

  private async support(trx: Transaction<Schema>, x: Exec, id: string, v: Version | undefined): Promise<void> {
    const found = await this.d.support.load(x, id);
    const now = this.d.clock.now();
    if (!v) {
      if (found) await this.d.support.remove(x, found.entry);
      return;
    }
    if (found && sameTime(found.entry.modified, v.modified)) return; // written by the register itself
    const o = v.obj;
    const parsed = CreateSupportBody.safeParse({
      recipient: o.recipient,
      avenue: o.avenue,
      description: o.description,
      ...(o.amount !== undefined ? { amount: o.amount } : {}),
      pledgedAt: o.pledged_at,
      status: o.status,
      ...(firstUrl(o) ? { source: firstUrl(o) } : {}),
      ...(o.source_grade !== undefined ? { sourceGrade: o.source_grade } : {}),
      tlp: v.tlp,
      ...(v.audience.length > 0 ? { audience: v.audience } : {}),
    });
    const history = parsed.success ? statusHistory(o, v.author, parsed.data.status, parsed.data.pledgedAt) : undefined;
    if (!found) {
      if (!parsed.success || !history || !(await isPartner(x, parsed.data.recipient))) return;
      const p = parsed.data;
      const e: SupportEntry = {
        id,
        provider: v.author,
        recipient: p.recipient,
        avenue: p.avenue,
        description: p.description,
        amount: p.amount ?? null,
        pledgedAt: p.pledgedAt,
        status: p.status,
        source: p.source ?? null,
        sourceGrade: p.sourceGrade ?? null,
        tlp: v.tlp,
        audience: v.audience,
        createdBy: stixWriter(v.author),
        created: v.created,
        modified: v.modified,
        history,
      };
      await this.d.support.insert(x, e);
      await announce(trx, 'support.created', releasedOf(e, e.provider), payload(e), now);
      return;
    }
    const before = found.entry;
    if (before.provider !== v.author) return;
    // A new version: the status moves only as PATCH would move it; the release follows the version.
    let next: SupportEntry = { ...before, tlp: v.tlp, audience: v.audience, modified: v.modified };
    if (
      parsed.success &&
      parsed.data.status !== before.status &&
      !transitionProblem(before.status, parsed.data.status)
    ) {
      const last = before.history[before.history.length - 1]!;
      const step = history?.[history.length - 1];
      const at = step && step.at >= last.at ? step.at : v.modified < last.at ? last.at : v.modified;
      next = {
        ...next,
        status: parsed.data.status,
        history: [...before.history, { status: parsed.data.status, at, by: stixWriter(v.author) }],
      };
    }
    if (
      next.status === before.status &&
      next.tlp === before.tlp &&
      encodeAudience(next.audience) === encodeAudience(before.audience)
    )
      return;
    if (!(await this.d.support.transition(x, before, next, found.version))) return;
    await announce(trx, 'support.updated', releasedOf(next, next.provider), payload(next), now);
  }

  private async event(trx: Transaction<Schema>, x: Exec, id: string, v: Version | undefined): Promise<void> {
    const found = await this.d.diplomacy.load(id, x);
    const o = v?.obj;
    const parsed =
      o &&
      CreateEventBody.safeParse({
        title: o.name,
        kind: o.kind,
        startedAt: o.started_at,
        ...(o.ended_at !== undefined ? { endedAt: o.ended_at } : {}),
        parties: o.parties,
        status: o.status,
        summary: o.description,
        sources: urls(o),
        tlp: v.tlp,
        ...(v.audience.length > 0 ? { audience: v.audience } : {}),
      });
    const record = (): DiplomaticEvent | undefined =>
      parsed?.success && v
        ? {
            ...common(v, found),
            title: parsed.data.title,
            kind: parsed.data.kind,
            startedAt: parsed.data.startedAt,
            endedAt: parsed.data.endedAt ?? null,
            parties: parsed.data.parties,
            status: parsed.data.status,
            summary: parsed.data.summary,
            sources: parsed.data.sources,
          }
        : undefined;
    await this.replace(trx, v, found, record(), {
      remove: () => this.d.diplomacy.remove(x, id),
      insert: (r) => this.d.diplomacy.insert(x, r),
      event: 'diplomacy',
      payload: (r) => ({ kind: r.kind, status: r.status, startedAt: r.startedAt }),
    });
  }

  private async need(trx: Transaction<Schema>, x: Exec, id: string, v: Version | undefined): Promise<void> {
    const found = await this.d.humanitarian.load(id, x);
    const o = v?.obj;
    const parsed =
      o &&
      CreateNeedBody.safeParse({
        area: o.area,
        sector: o.sector,
        peopleInNeed: o.people_in_need,
        ...(o.people_reached !== undefined ? { peopleReached: o.people_reached } : {}),
        ...(o.funding_required !== undefined ? { fundingRequired: o.funding_required } : {}),
        ...(o.funding_received !== undefined ? { fundingReceived: o.funding_received } : {}),
        asOf: o.as_of,
        source: firstUrl(o),
        tlp: v.tlp,
        ...(v.audience.length > 0 ? { audience: v.audience } : {}),
      });
    const ok = parsed?.success && (parsed.data.peopleReached ?? 0) <= parsed.data.peopleInNeed;
    const record = (): HumanitarianNeed | undefined =>
      ok && parsed?.success && v
        ? {
            ...common(v, found),
            area: parsed.data.area,
            sector: parsed.data.sector,
            peopleInNeed: parsed.data.peopleInNeed,
            peopleReached: parsed.data.peopleReached ?? null,
            fundingRequired: parsed.data.fundingRequired ?? null,
            fundingReceived: parsed.data.fundingReceived ?? null,
            asOf: parsed.data.asOf,
            source: parsed.data.source,
          }
        : undefined;
    await this.replace(trx, v, found, record(), {
      remove: () => this.d.humanitarian.remove(x, id),
      insert: (r) => this.d.humanitarian.insert(x, r),
      event: 'humanitarian',
      payload: (r) => ({ area: r.area, sector: r.sector, asOf: r.asOf }),
    });
  }

  /**
   * A record register's row follows the latest version: a valid one replaces it (created, or updated), an
   * invalid one leaves the row as it was but for its release, a deletion removes it.
   */
  private async replace<T extends DiplomaticEvent | HumanitarianNeed>(
    trx: Transaction<Schema>,
    v: Version | undefined,
    found: T | undefined,
    record: T | undefined,
    ops: {
      remove(): Promise<void>;
      insert(r: T): Promise<void>;
      event: string;
      payload(r: T): Record<string, unknown>;
    },
  ): Promise<void> {
    if (!v) {
      if (found) await ops.remove();
      return;
    }
    if (found && (sameTime(found.modified, v.modified) || found.author !== v.author)) return;
    const next: T | undefined =
      record ?? (found ? { ...found, tlp: v.tlp, audience: v.audience, modified: v.modified } : undefined);
    if (!next) return;
    if (found) await ops.remove();
    await ops.insert(next);
    await announce(
      trx,
      `${ops.event}.${found ? 'updated' : 'created'}`,
      releasedOf(next, next.author),
      ops.payload(next),
      this.d.clock.now(),
    );
  }
}

/** The latest version as the store holds it, or undefined when it was deleted or revoked. */
function version(c: LatestChange): Version | undefined {
  const l = c.latest;
  if (!l) return undefined;
  const obj = JSON.parse(l.json) as Obj;
  const created = str(obj.created);
  const modified = str(obj.modified) ?? created;
  if (obj.revoked === true || !created || !modified) return undefined;
  return {
    id: c.id,
    obj,
    author: l.author,
    tlp: isTlp(l.tlp) ? l.tlp : 'red',
    audience: decodeAudience(l.audience),
    created,
    modified,
  };
}

function common(v: Version, found: { createdBy: string; created: string } | undefined) {
  return {
    id: v.id,
    author: v.author,
    tlp: v.tlp,
    audience: v.audience,
    createdBy: found?.createdBy ?? stixWriter(v.author),
    created: found?.created ?? v.created,
    modified: v.modified,
  };
}

/** The object's status_history when it is a path the status machine allows ending at `status`; else its one step. */
function statusHistory(o: Obj, author: string, status: SupportStatus, pledgedAt: string): StatusStep[] | undefined {
  const by = stixWriter(author);
  if (!Array.isArray(o.status_history) || o.status_history.length === 0) return [{ status, at: pledgedAt, by }];
  const steps: StatusStep[] = [];
  for (const s of o.status_history as unknown[]) {
    const st = s && typeof s === 'object' ? (s as Obj) : {};
    const at = str(st.changed_at);
    const next = str(st.status) as SupportStatus | undefined;
    if (
      !at ||
      Number.isNaN(Date.parse(at)) ||
      !next ||
      !['pledged', 'allocated', 'delivered', 'cancelled'].includes(next)
    )
      return undefined;
    const prev = steps[steps.length - 1];
    if (prev && (transitionProblem(prev.status, next) || at < prev.at)) return undefined;
    steps.push({ status: next, at: new Date(at).toISOString(), by });
  }
  return steps[steps.length - 1]!.status === status ? steps : undefined;
}

async function isPartner(x: Exec, code: string): Promise<boolean> {
  const org = await x.selectFrom('organisations').select('kind').where('code', '=', code).executeTakeFirst();
  return org?.kind === 'partner';
}

const releasedOf = (r: { id: string; tlp: Tlp; audience: string[] }, author: string): Released => ({
  id: r.id,
  author,
  tlp: r.tlp,
  audience: r.audience,
});

const payload = (e: SupportEntry) => ({
  provider: e.provider,
  recipient: e.recipient,
  avenue: e.avenue,
  status: e.status,
  modified: e.modified,
});

/** Registers the adoption with the knowledge store (every write path). */
export function registerAdoption(knowledge: KnowledgeService, adoption: RegisterAdoption): void {
  knowledge.onLatest({ types: REGISTER_TYPES, within: (trx, changes) => adoption.within(trx, changes) });
}
