import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import { conflict, notFound, validation } from '../../platform/errors.ts';
import { readerOf, type Actor, type UserActor } from '../../kernel/access/actor.ts';
import { assertAudience } from '../sharing/audience.service.ts';
import { MEMBERS } from '../sharing/organisations.ts';
import { readinessChanges } from './posture.ts';
import {
  compute,
  impactsProblem,
  likelihoodsProblem,
  nextTime,
  postureOf,
  probabilitiesOf,
  sensitivityOf,
  type Observation,
  type ScenarioSet,
  type SetState,
  type Signpost,
} from './outlook.ts';
import { observationObject, setObject, signpostObject, STIX_TYPES } from './outlook-stix.ts';
import { assertAuthor, assertUser } from './outlook.policy.ts';
import { listPosition, pageOfRows, type OutlookWriter } from './outlook.writer.ts';
import type {
  CreateSetInput,
  ImpactsInput,
  ListQueryT,
  ObservationCreatedT,
  ObservationInput,
  PostureViewT,
  SensitivityViewT,
  SetSummaryT,
  SetViewT,
  SignpostInput,
} from './outlook.schema.ts';
import { MAX_OBSERVATIONS, MAX_SIGNPOSTS } from './outlook.schema.ts';

const MEMBER_CODES = new Set(MEMBERS.map((m) => m.code));

/**
 * Scenario sets, signposts, observations, impacts and posture (api.md, Outlook). Reads take `null` for the
 * public view (TLP:CLEAR only), as the CLI without --member.
 */
export class ScenarioService {
  constructor(private readonly w: OutlookWriter) {}

  async create(actor: Actor, input: CreateSetInput): Promise<SetViewT> {
    assertUser(actor, 'create a scenario set');
    await assertAudience(this.w.db, input.audience);
    const now = this.w.now().toISOString();
    const set: ScenarioSet = {
      id: `${STIX_TYPES.set}--${randomUUID()}`,
      title: input.title,
      question: input.question,
      horizon: input.horizon,
      scenarios: input.scenarios.map((s) => ({
        key: s.key,
        title: s.title,
        description: s.description || null,
        prior: s.prior,
      })),
      impacts: {},
      author: actor.org,
      tlp: input.tlp,
      audience: [...new Set(input.audience ?? [])].sort(),
      createdBy: actor.userName,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    await this.w.transaction(async (trx) => {
      await this.w.d.repo.insertSet(trx, set);
      await this.w.mirror(trx, actor, set, [setObject(set)]);
      await this.w.announce(trx, set, set.id, [{ event: 'outlook.created', payload: { title: set.title } }]);
    });
    return this.view(actor, { set, signposts: [], observations: [] });
  }

  async list(actor: Actor, q: ListQueryT): Promise<{ items: SetSummaryT[]; next: string | null }> {
    const after = listPosition(q.cursor, STIX_TYPES.set);
    const page = pageOfRows(await this.w.d.repo.page(readerOf(actor), 'outlook_sets', q.limit + 1, after), q.limit);
    const states = await this.w.d.repo.loadStates(
      this.w.db,
      page.items.map((r) => r.id),
    );
    return {
      items: states.map((s) => {
        const p = probabilitiesOf(s);
        return {
          ...pickSummary(s.set),
          scenarios: s.set.scenarios.map((x) => ({ key: x.key, title: x.title, probability: p[x.key]! })),
        };
      }),
      next: page.next,
    };
  }

  async get(actor: Actor | null, id: string): Promise<SetViewT> {
    return this.view(actor, await this.state(actor, id));
  }

  async posture(actor: Actor | null, id: string): Promise<PostureViewT> {
    return { id, members: postureOf(await this.state(actor, id)) };
  }

  async sensitivity(actor: Actor | null, id: string): Promise<SensitivityViewT> {
    const r = sensitivityOf(await this.state(actor, id));
    return {
      id,
      leaders: r.leaders,
      decisive: r.decisive.map((d) => ({
        observation: d.observation.id,
        signpost: d.observation.signpost,
        observedAt: d.observation.observedAt,
        leadersWithout: d.leadersWithout,
      })),
    };
  }

  async addSignpost(actor: Actor, id: string, input: SignpostInput): Promise<SetViewT['signposts'][number]> {
    return this.change(actor, id, 'add a signpost', async (trx, s, at, user) => {
      const problem = likelihoodsProblem(
        input.likelihoods,
        s.set.scenarios.map((x) => x.key),
      );
      if (problem) throw validation(problem.field, problem.message);
      if (s.signposts.some((p) => p.key === input.key))
        throw conflict(`key: the set already has a signpost ${input.key}`, 'key');
      if (s.signposts.length >= MAX_SIGNPOSTS)
        throw validation('key', `a set holds at most ${MAX_SIGNPOSTS} signposts`);
      const likelihoods = Object.fromEntries(s.set.scenarios.map((x) => [x.key, input.likelihoods[x.key]!]));
      const p: Signpost = {
        id: `${STIX_TYPES.signpost}--${randomUUID()}`,
        key: input.key,
        title: input.title,
        description: input.description || null,
        likelihoods,
        createdAt: at,
        seq: await this.w.d.repo.nextSeq(trx, 'signposts', id),
      };
      await this.w.d.repo.insertSignpost(trx, id, p);
      await this.w.mirror(trx, user, s.set, [signpostObject(s.set, p)]);
      await this.w.announce(trx, s.set, id, [
        { event: 'outlook.updated', payload: { change: 'signpost', key: p.key } },
      ]);
      return { key: p.key, title: p.title, description: p.description, likelihoods };
    });
  }

  /** `within` runs in the same transaction once the observation is in (an accepted proposal settles there). */
  async addObservation(
    actor: Actor,
    id: string,
    input: ObservationInput,
    within?: (trx: Transaction<Schema>, observation: string) => Promise<void>,
  ): Promise<ObservationCreatedT> {
    const evidence = input.evidence ?? [];
    const readable = await this.w.readableIds(actor, evidence);
    evidence.forEach((e, i) => {
      if (!readable.has(e)) throw validation(`evidence[${i}]`, `no object ${e} that you may read`);
    });
    return this.change(actor, id, 'record an observation', async (trx, s, at, user) => {
      if (!s.signposts.some((p) => p.key === input.signpost))
        throw validation('signpost', `the set has no signpost ${input.signpost}`);
      if (s.observations.length >= MAX_OBSERVATIONS)
        throw validation('signpost', `a set holds at most ${MAX_OBSERVATIONS} observations`);
      const ob: Observation = {
        id: `${STIX_TYPES.observation}--${randomUUID()}`,
        signpost: input.signpost,
        observed: input.observed,
        confidence: input.confidence,
        observedAt: new Date(input.observedAt).toISOString(),
        evidence,
        note: input.note || null,
        createdAt: at,
        createdBy: user.userName,
        seq: await this.w.d.repo.nextSeq(trx, 'observations', id),
      };
      await this.w.d.repo.insertObservation(trx, id, ob);
      await this.w.mirror(trx, user, s.set, [observationObject(s.set, ob)]);
      const after: SetState = { ...s, observations: [...s.observations, ob] };
      const probabilities = probabilitiesOf(after);
      await this.announceChange(trx, s, after, probabilitiesOf(s), { change: 'observation', observation: ob.id });
      await within?.(trx, ob.id);
      return { ...ob, probabilities };
    });
  }

  async putImpacts(actor: Actor, id: string, input: ImpactsInput): Promise<PostureViewT> {
    return this.change(actor, id, 'set the impacts', async (trx, s, at, user) => {
      const problem = impactsProblem(
        input,
        s.set.scenarios.map((x) => x.key),
        (c) => MEMBER_CODES.has(c),
      );
      if (problem) throw validation(problem.field, problem.message);
      const impacts = Object.fromEntries(
        Object.keys(input)
          .sort()
          .map((m) => [m, Object.fromEntries(s.set.scenarios.map((x) => [x.key, input[m]![x.key] as number]))]),
      );
      const set = { ...s.set, impacts, updatedAt: at };
      await this.w.d.repo.setImpacts(trx, id, impacts);
      await this.w.mirror(trx, user, set, [setObject(set)]);
      const after = { ...s, set };
      await this.announceChange(trx, s, after, probabilitiesOf(s), { change: 'impacts' });
      return { id, members: postureOf(after) };
    });
  }

  /** The set when the actor may read it (404 otherwise), with its signposts and observations. */
  async state(actor: Actor | null, id: string): Promise<SetState> {
    const [s] = await this.w.d.repo.loadStates(this.w.db, [id]);
    return { ...s!, set: this.w.readable(actor, s?.set, `scenario set ${id}`) };
  }

  /** A change by the author organisation, computed from the last committed state under the set's lock. */
  async change<T>(
    actor: Actor,
    id: string,
    what: string,
    fn: (trx: Transaction<Schema>, s: SetState, at: string, user: UserActor) => Promise<T>,
  ): Promise<T> {
    assertUser(actor, what);
    const seen = await this.state(actor, id);
    assertAuthor(actor, seen.set, what);
    return this.w.transaction(async (trx) => {
      const at = nextTime(this.w.now(), seen.set.updatedAt);
      await this.w.d.repo.bump(trx, 'outlook_sets', id, at);
      const [s] = await this.w.d.repo.loadStates(trx, [id]);
      if (!s) throw notFound(`scenario set ${id}`);
      return fn(trx, s, at, actor);
    });
  }

  /** outlook.updated, and posture.changed when a member's readiness moved. */
  private async announceChange(
    trx: Transaction<Schema>,
    before: SetState,
    after: SetState,
    probabilitiesBefore: Record<string, number>,
    payload: Record<string, unknown>,
  ): Promise<void> {
    const changes = readinessChanges(postureOf(before, probabilitiesBefore), postureOf(after));
    await this.w.announce(trx, before.set, before.set.id, [
      { event: 'outlook.updated', payload },
      ...(changes.length > 0 ? [{ event: 'posture.changed', payload: { changes } }] : []),
    ]);
  }

  private async view(actor: Actor | null, s: SetState): Promise<SetViewT> {
    const { probabilities, history } = compute(s);
    const readable = await this.w.readableIds(actor, [...new Set(s.observations.flatMap((o) => o.evidence))]);
    return {
      ...pickSummary(s.set),
      scenarios: s.set.scenarios.map((x) => ({ ...x, probability: probabilities[x.key]! })),
      signposts: s.signposts.map((p) => ({
        key: p.key,
        title: p.title,
        description: p.description,
        likelihoods: p.likelihoods,
      })),
      observations: s.observations.map(({ seq: _seq, ...o }) => ({
        ...o,
        evidence: o.evidence.filter((e) => readable.has(e)),
      })),
      history: history.steps().map((h, i) => ({
        observation: s.observations[i]!.id,
        at: s.observations[i]!.observedAt,
        probabilities: h.probabilities,
        shifts: h.shifts,
      })),
      impacts: s.set.impacts,
    };
  }
}

function pickSummary(s: ScenarioSet) {
  return {
    id: s.id,
    title: s.title,
    question: s.question,
    horizon: s.horizon,
    author: s.author,
    tlp: s.tlp,
    audience: s.audience,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}
