import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { conflict, forbidden, notFound, validation } from '../../platform/errors.ts';
import { appendToOutbox, type EventNotifier, type OutgoingEvent } from '../../platform/events/outbox.ts';
import { readerOf, systemActor, type Actor, type SystemActor, type UserActor } from '../../kernel/access/actor.ts';
import { canRead, type Reader } from '../../kernel/access/releasability.ts';
import { actorLabel } from '../audit/audit.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import {
  apply,
  settleIfDue,
  type CouncilEvent,
  type Proposal,
  type ProposalKind,
  type ProposalStatus,
} from './proposal.ts';
import {
  assertMemberUser,
  assertOpenToEveryMember,
  canChair,
  isAuthor,
  isOpenToEveryMember,
  type CouncilTlp,
} from './proposal.policy.ts';
import type { ListFilter, ProposalRepository } from './proposal.repository.ts';
import type { CreateProposalInput, PositionInput, ReviseInput } from './proposal.schema.ts';
import { createdData, newProposal, settleData } from './proposal.draft.ts';
import { assertAudience } from '../sharing/audience.service.ts';
import { turn } from '../../platform/loop-slice.ts';

export const COUNCIL_SCHEDULER: SystemActor = systemActor('council-silence-scheduler');

export interface CouncilDeps {
  repo: ProposalRepository;
  audit: AuditRepository;
  clock: Clock;
  notifier: EventNotifier;
  /** Shortest silence period, in seconds (BULWARK_MIN_SILENCE_SECONDS). */
  minSilenceSeconds: number;
  /** Which of these ids (objects of the STIX store) the reader may read; proposals are the council's own. */
  readableObjects: ReadableIds;
  /** Called after a new silence procedure commits, so the scheduler can arm its timer. */
  onCirculated?: (silenceEndsAt: string) => void;
}

class LostRace extends Error {}

/** The subset of `ids` that `reader` may read (missing ids are simply absent). */
export type ReadableIds = (reader: Reader, ids: readonly string[]) => Promise<Set<string>>;

/** How many ids one look-up asks the store about. */
const ID_CHUNK = 500;

/** What the deployment check learns about a proposal (treaty/deployment.ts MandateRecord). */
export interface MandateView {
  kind: ProposalKind;
  status: ProposalStatus;
  host: string | null;
  tlp: string;
  audience: string[];
  /** Stored release is TLP:AMBER or wider with no audience: every member could read it and object. */
  openToEveryMember: boolean;
  /** Length of the silence period (silence procedures), in seconds. */
  silenceSeconds: number | null;
  minSilenceSeconds: number;
}

/** How many overdue proposals one settling pass loads at a time. */
const DUE_BATCH = 100;

/** Council use cases. Every change, its audit entry and its outbox event commit in one transaction. */
export class CouncilService {
  private readonly db: Kysely<Schema>;
  constructor(private readonly d: CouncilDeps) {
    this.db = d.repo.db;
  }

  async create(actor: Actor, input: CreateProposalInput): Promise<Proposal> {
    assertMemberUser(actor, 'propose');
    await assertAudience(this.db, input.audience);
    const now = this.d.clock.now();
    const p = newProposal(actor, input, now, null, this.d.minSilenceSeconds);
    await this.assertReferencesReadable(actor, p.references);
    await this.transaction(async (trx) => {
      await this.d.repo.insert(trx, p);
      await this.record(trx, actor, 'create', p, createdData(p));
      await this.announce(trx, 'proposal.created', p, 'create');
    });
    this.after(p);
    return p;
  }

  async list(actor: Actor, f: ListFilter): Promise<Proposal[]> {
    return this.shown(actor, await this.d.repo.list(readerOf(actor), f));
  }

  /** A proposal the actor may read; hidden and missing ones are both "not found". */
  async get(actor: Actor, id: string): Promise<Proposal> {
    return (await this.shown(actor, [await this.readable(this.db, actor, id)]))[0]!;
  }

  /**
   * For the treaty engine's deployment check: undefined when missing or not releasable to the actor.
   * Whether the proposal could bind is judged on the stored row at check time, not trusted from its
   * creation: a proposal stored before the release rule (or altered since) is no mandate.
   */
  async getForDeploymentCheck(actor: Actor, id: string): Promise<MandateView | undefined> {
    const p = await this.visible(this.db, actor, id);
    if (!p) return undefined;
    const silenceSeconds =
      p.procedure === 'silence' && p.silenceEndsAt !== null
        ? Math.floor((Date.parse(p.silenceEndsAt) - Date.parse(p.createdAt)) / 1000)
        : null;
    return {
      kind: p.kind,
      status: p.status,
      host: p.host,
      tlp: p.tlp,
      audience: p.audience,
      openToEveryMember: isOpenToEveryMember(p),
      silenceSeconds,
      minSilenceSeconds: this.d.minSilenceSeconds,
    };
  }

  /** A member's position, recorded for the user's own organisation only. */
  async takePosition(actor: Actor, id: string, input: PositionInput): Promise<Proposal> {
    assertMemberUser(actor, 'take a position');
    if (input.position === 'reservation' && !input.statement)
      throw validation('statement', 'a reservation (footnote) must state its text');
    const statement = input.statement ?? null;
    return this.change(
      actor,
      id,
      'position',
      (p, at) => ({ type: 'position', org: actor.org, position: input.position, statement, at }),
      { member: actor.org, position: input.position, statement },
    );
  }

  async close(actor: Actor, id: string): Promise<Proposal> {
    assertMemberUser(actor, 'close');
    return this.change(
      actor,
      id,
      'close',
      (p, at) => {
        if (!canChair(actor, p.author))
          throw forbidden(`only the chair (${p.author}, the author's organisation) or an admin closes this meeting`);
        return { type: 'close', at };
      },
      {},
    );
  }

  async withdraw(actor: Actor, id: string): Promise<Proposal> {
    assertMemberUser(actor, 'withdraw');
    return this.change(
      actor,
      id,
      'withdraw',
      (p, at) => {
        if (!isAuthor(actor, p.author))
          throw forbidden(`only the author organisation (${p.author}) withdraws this proposal`);
        return { type: 'withdraw', at };
      },
      {},
    );
  }

  /** A revised text starts a new round: the old proposal is superseded, the new one references it. */
  async revise(actor: Actor, id: string, input: ReviseInput): Promise<Proposal> {
    assertMemberUser(actor, 'revise');
    const now = this.d.clock.now();
    const at = now.toISOString();
    const created = await this.retrying(async (trx) => {
      const old = await this.readable(trx, actor, id);
      if (!isAuthor(actor, old.author))
        throw forbidden(`only the author organisation (${old.author}) revises this proposal`);
      let silenceEndsAt = input.silenceEndsAt;
      if (old.procedure === 'silence' && silenceEndsAt === undefined && old.silenceEndsAt !== null) {
        const length = Math.max(
          this.d.minSilenceSeconds * 1000,
          1000,
          Date.parse(old.silenceEndsAt) - Date.parse(old.createdAt),
        );
        silenceEndsAt = new Date(now.getTime() + length).toISOString();
      }
      // A proposal stored before the release rule may be narrower: its revision cannot be.
      assertOpenToEveryMember(old.tlp, old.audience.length > 0 ? old.audience : undefined);
      const references = [...(await this.readableIds(readerOf(actor), old.references))];
      const next = newProposal(
        actor,
        {
          ...old,
          references,
          title: input.title ?? old.title,
          text: input.text,
          silenceEndsAt,
          tlp: old.tlp as CouncilTlp,
          audience: undefined,
          host: old.host ?? undefined,
          assessment: old.assessment ?? undefined,
        },
        now,
        old.id,
        this.d.minSilenceSeconds,
      );
      const s = apply(old, { type: 'supersede', at });
      if (
        !(await this.d.repo.transition(trx, old.id, old.version, {
          status: s.status,
          decidedAt: s.decidedAt,
          supersededBy: next.id,
        }))
      )
        throw new LostRace();
      await this.d.repo.insert(trx, next);
      const superseded: Proposal = {
        ...old,
        status: s.status,
        decidedAt: s.decidedAt,
        supersededBy: next.id,
        version: old.version + 1,
      };
      await this.record(trx, actor, 'revise', old, {
        supersededBy: next.id,
        text: next.text,
        status: s.status,
        decidedAt: s.decidedAt,
      });
      await this.record(trx, actor, 'create', next, { ...createdData(next), supersedes: old.id });
      await this.announce(trx, 'proposal.updated', superseded, 'revise');
      await this.announce(trx, 'proposal.created', next, 'create');
      return next;
    });
    this.after(created);
    return created;
  }

  /**
   * Settles one silence procedure whose deadline has passed. Several instances may try at once:
   * the conditional update lets exactly one win, and only the winner writes the audit entry.
   */
  async settle(id: string, actor: SystemActor = COUNCIL_SCHEDULER): Promise<boolean> {
    const at = this.d.clock.now().toISOString();
    const done = await this.transaction(async (trx) => {
      const p = await this.d.repo.load(trx, id);
      if (!p || p.status !== 'circulating') return false;
      const s = settleIfDue(p, at);
      if (s.status === 'circulating') return false;
      if (!(await this.d.repo.transition(trx, id, p.version, { status: s.status, decidedAt: s.decidedAt })))
        return false;
      const settled: Proposal = { ...p, status: s.status, decidedAt: s.decidedAt, version: p.version + 1 };
      await this.record(trx, actor, 'settle', settled, settleData(settled));
      await this.announce(trx, 'proposal.updated', settled, 'settle');
      return true;
    });
    if (done) this.sealed();
    return done;
  }

  /**
   * Settles every overdue silence procedure; returns how many this instance settled. Batches of
   * DUE_BATCH settle in one transaction each (one audit append, one outbox insert), and the event
   * loop runs between batches, so thousands of proposals sharing a deadline neither stall the
   * server nor make each other late (bench/council.bench.ts).
   */
  async settleDue(actor: SystemActor = COUNCIL_SCHEDULER): Promise<number> {
    let n = 0;
    for (;;) {
      const at = this.d.clock.now().toISOString();
      const { due, settled } = await this.transaction(async (trx) => {
        const ps = await this.d.repo.loadMany(trx, await this.d.repo.dueIds(at, DUE_BATCH, trx));
        const won: Proposal[] = [];
        for (const p of ps) {
          const s = settleIfDue(p, at);
          if (s.status === 'circulating') continue;
          if (await this.d.repo.transition(trx, p.id, p.version, { status: s.status, decidedAt: s.decidedAt }))
            won.push({ ...p, status: s.status, decidedAt: s.decidedAt, version: p.version + 1 });
        }
        const label = actorLabel(actor);
        await this.d.audit.appendMany(
          trx,
          won.map((p) => ({ actor: label, action: 'settle', subject: p.id, data: settleData(p) })),
          at,
        );
        await appendToOutbox(
          trx,
          won.map((p) => this.event('proposal.updated', p, 'settle')),
          at,
        );
        return { due: ps.length, settled: won.length };
      });
      n += settled;
      if (settled > 0) this.sealed();
      if (due < DUE_BATCH || settled === 0) return n;
      await turn();
    }
  }

  nextDeadline(): Promise<string | undefined> {
    return this.d.repo.nextDeadline();
  }

  /**
   * Each reference must name something the writer may read; otherwise one 400 naming `references`
   * that reads the same for a missing id and for a hidden one (no existence oracle).
   */
  private async assertReferencesReadable(actor: UserActor, refs: readonly string[]): Promise<void> {
    const ok = await this.readableIds(readerOf(actor), refs);
    const bad = refs.findIndex((r) => !ok.has(r));
    if (bad >= 0)
      throw validation('references', `references[${bad}]: ${refs[bad]!} is unknown or not readable by ${actor.org}`);
  }

  /** The proposals as this actor may see them: references it may not read are left out. */
  private async shown(actor: Actor, ps: Proposal[]): Promise<Proposal[]> {
    const reader = readerOf(actor);
    if (reader.kind === 'system') return ps;
    const ok = await this.readableIds(reader, [...new Set(ps.flatMap((p) => p.references))]);
    return ps.map((p) =>
      p.references.every((r) => ok.has(r)) ? p : { ...p, references: p.references.filter((r) => ok.has(r)) },
    );
  }

  /** Which ids the reader may read: council proposals here, everything else in the STIX store. */
  private async readableIds(reader: Reader, ids: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    const proposals = ids.filter((i) => i.startsWith('proposal--'));
    const objects = ids.filter((i) => !i.startsWith('proposal--'));
    for (let i = 0; i < proposals.length; i += ID_CHUNK)
      for (const id of await this.d.repo.readableIds(reader, proposals.slice(i, i + ID_CHUNK))) out.add(id);
    for (let i = 0; i < objects.length; i += ID_CHUNK)
      for (const id of await this.d.readableObjects(reader, objects.slice(i, i + ID_CHUNK))) out.add(id);
    return out;
  }

  private async change(
    actor: UserActor,
    id: string,
    action: string,
    event: (p: Proposal, at: string) => CouncilEvent,
    data: Record<string, unknown>,
  ): Promise<Proposal> {
    const result = await this.retrying(async (trx) => {
      const p = await this.readable(trx, actor, id);
      const at = this.d.clock.now().toISOString();
      const s = apply(p, event(p, at));
      const changed = s.status !== p.status;
      if (!(await this.d.repo.transition(trx, id, p.version, { status: s.status, decidedAt: s.decidedAt })))
        throw new LostRace();
      const pos = s.positions[actor.org];
      if (action === 'position' && pos)
        await this.d.repo.upsertPosition(trx, id, actor.org, { ...pos, by: actor.userName });
      const positions =
        action === 'position' && pos ? { ...p.positions, [actor.org]: { ...pos, by: actor.userName } } : p.positions;
      const next: Proposal = { ...p, status: s.status, decidedAt: s.decidedAt, positions, version: p.version + 1 };
      await this.record(trx, actor, action, next, {
        ...data,
        status: next.status,
        ...(changed ? { decidedAt: next.decidedAt } : {}),
      });
      await this.announce(trx, 'proposal.updated', next, action);
      return next;
    });
    this.sealed();
    return (await this.shown(actor, [result]))[0]!;
  }

  /**
   * A council transaction. On PostgreSQL it takes the audit chain's lock first: every council write
   * appends to the chain anyway, and taking that lock before any row lock gives all of them one lock
   * order, so a batch settling many proposals and a single change never deadlock.
   */
  private transaction<T>(fn: (trx: Transaction<Schema>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      await this.d.audit.lock(trx);
      return fn(trx);
    });
  }

  /** Runs a read-decide-write transaction again when a concurrent writer changed the proposal first. */
  private async retrying<T>(fn: (trx: Transaction<Schema>) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.transaction(fn);
      } catch (e) {
        if (!(e instanceof LostRace)) throw e;
        if (attempt >= 4) throw conflict('the proposal changed concurrently; retry the request');
      }
    }
  }

  /** Loads a proposal the actor may read; hidden and missing ones are both "not found" (404). */
  private async readable(x: Kysely<Schema>, actor: Actor, id: string): Promise<Proposal> {
    const p = await this.visible(x, actor, id);
    if (!p) throw notFound(`proposal ${id}`);
    return p;
  }

  /** The proposal when it exists and is releasable to the actor (canRead), else undefined. */
  private async visible(x: Kysely<Schema>, actor: Actor, id: string): Promise<Proposal | undefined> {
    const p = await this.d.repo.load(x, id);
    return p && canRead(readerOf(actor), p) ? p : undefined;
  }

  private async record(
    trx: Transaction<Schema>,
    actor: Actor,
    action: string,
    p: Proposal,
    data: Record<string, unknown>,
  ): Promise<void> {
    await this.d.audit.append(
      trx,
      { actor: actorLabel(actor), action, subject: p.id, data },
      this.d.clock.now().toISOString(),
    );
  }

  private async announce(trx: Transaction<Schema>, event: string, p: Proposal, action: string): Promise<void> {
    await appendToOutbox(trx, [this.event(event, p, action)], this.d.clock.now().toISOString());
  }

  private event(event: string, p: Proposal, action: string): OutgoingEvent {
    return {
      event,
      objectId: p.id,
      author: p.author,
      tlp: p.tlp,
      audience: p.audience,
      payload: { status: p.status, kind: p.kind, procedure: p.procedure, action, decidedAt: p.decidedAt },
    };
  }

  /** After a commit: relay its events, and sign the audit chain's new head outside the database. */
  private sealed(): void {
    this.d.notifier.nudge();
    void this.d.audit.checkpoint();
  }

  private after(p: Proposal): void {
    this.sealed();
    if (p.procedure === 'silence' && p.silenceEndsAt) this.d.onCirculated?.(p.silenceEndsAt);
  }
}
