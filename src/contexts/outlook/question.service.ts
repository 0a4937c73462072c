import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import { conflict, validation } from '../../platform/errors.ts';
import { readerOf, type Actor } from '../../kernel/access/actor.ts';
import { canRead } from '../../kernel/access/releasability.ts';
import { assertAudience } from '../sharing/audience.service.ts';
import { ORGANISATIONS } from '../sharing/organisations.ts';
import { brier, calibration, crowd, logScore } from './scores.ts';
import { ANNULLED, isBinary, nextTime, statusOf, type Forecast, type Question } from './outlook.ts';
import { questionObject, STIX_TYPES } from './outlook-stix.ts';
import { assertCanResolve, assertUser, readersCovered } from './outlook.policy.ts';
import { listPosition, pageOfRows, type OutlookWriter } from './outlook.writer.ts';
import type { ScenarioService } from './scenario.service.ts';
import type {
  CreateQuestionInput,
  ForecastInput,
  ListQueryT,
  QuestionViewT,
  ResolutionInput,
  ScoresViewT,
} from './outlook.schema.ts';

/** Forecast questions, forecasts, resolution and scores (api.md, Outlook: forecast questions). */
export class QuestionService {
  constructor(
    private readonly w: OutlookWriter,
    private readonly sets: ScenarioService,
  ) {}

  async create(actor: Actor, input: CreateQuestionInput): Promise<QuestionViewT> {
    assertUser(actor, 'ask a question');
    await assertAudience(this.w.db, input.audience);
    const options = input.options ?? ['yes', 'no'];
    let signpostId: string | null = null;
    if (input.signpost) {
      if (!isBinary({ options }))
        throw validation('signpost', 'only a yes/no question can observe a signpost (yes: observed, no: not)');
      const s = await this.sets.state(actor, input.signpost.set).catch(() => {
        throw validation('signpost.set', `no scenario set ${input.signpost!.set} that you may read`);
      });
      const p = s.signposts.find((x) => x.key === input.signpost!.key);
      if (!p) throw validation('signpost.key', `the set has no signpost ${input.signpost.key}`);
      // The STIX form goes to every reader of the question: it names the signpost only if they all read the set.
      if (readersCovered({ author: actor.org, tlp: input.tlp, audience: input.audience ?? [] }, s.set))
        signpostId = p.id;
    }
    const now = this.w.now().toISOString();
    const q: Question = {
      id: `${STIX_TYPES.question}--${randomUUID()}`,
      title: input.title,
      resolutionCriteria: input.resolutionCriteria,
      closesAt: new Date(input.closesAt).toISOString(),
      options,
      signpost: input.signpost ?? null,
      author: actor.org,
      tlp: input.tlp,
      audience: [...new Set(input.audience ?? [])].sort(),
      createdBy: actor.userName,
      createdAt: now,
      updatedAt: now,
      outcome: null,
      resolvedAt: null,
      resolvedBy: null,
      version: 1,
    };
    await this.w.transaction(async (trx) => {
      await this.w.d.repo.insertQuestion(trx, q);
      await this.w.mirror(trx, actor, q, [questionObject(q, signpostId)]);
      await this.w.announce(trx, q, q.id, [{ event: 'question.created', payload: { title: q.title } }]);
    });
    return this.view(actor, q, [], true);
  }

  async list(actor: Actor, query: ListQueryT): Promise<{ items: QuestionViewT[]; next: string | null }> {
    const after = listPosition(query.cursor, STIX_TYPES.question);
    const page = pageOfRows(
      await this.w.d.repo.page(readerOf(actor), 'outlook_questions', query.limit + 1, after),
      query.limit,
    );
    const qs = await this.w.d.repo.loadQuestions(
      this.w.db,
      page.items.map((r) => r.id),
    );
    const fs = await this.w.d.repo.forecasts(
      this.w.db,
      qs.map((q) => q.id),
    );
    const sets = await this.w.readableIds(actor, [...new Set(qs.flatMap((q) => (q.signpost ? [q.signpost.set] : [])))]);
    return {
      items: qs.map((q) => this.view(actor, q, fs.get(q.id) ?? [], q.signpost !== null && sets.has(q.signpost.set))),
      next: page.next,
    };
  }

  async get(actor: Actor, id: string): Promise<QuestionViewT> {
    const q = await this.load(actor, id);
    const setReadable = q.signpost !== null && (await this.w.readableIds(actor, [q.signpost.set])).has(q.signpost.set);
    return this.view(actor, q, (await this.w.d.repo.forecasts(this.w.db, [id])).get(id) ?? [], setReadable);
  }

  async forecast(actor: Actor, id: string, input: ForecastInput): Promise<QuestionViewT> {
    assertUser(actor, 'forecast');
    const seen = await this.load(actor, id);
    const unknown = Object.keys(input.probabilities).find((o) => !seen.options.includes(o));
    if (unknown !== undefined) throw validation(`probabilities.${unknown}`, 'is not an option of this question');
    const missing = seen.options.filter((o) => !(o in input.probabilities));
    if (missing.length > 0) throw validation('probabilities', `needs a probability for ${missing.join(', ')}`);
    await this.w.transaction(async (trx) => {
      const at = nextTime(this.w.now(), seen.updatedAt);
      await this.w.d.repo.bump(trx, 'outlook_questions', id, at);
      const [q] = await this.w.d.repo.loadQuestions(trx, [id]);
      const status = statusOf(q!, this.w.now());
      if (status !== 'open') throw conflict(`closesAt: the question is ${status}; forecasts are closed`, 'closesAt');
      const f: Forecast = {
        userId: actor.userId,
        userName: actor.userName,
        org: actor.org,
        probabilities: Object.fromEntries(q!.options.map((o) => [o, input.probabilities[o]!])),
        rationale: input.rationale,
        at,
      };
      await this.w.d.repo.upsertForecast(trx, id, f);
      await this.w.announce(trx, q!, id, [{ event: 'question.updated', payload: { change: 'forecast' } }]);
    });
    return this.get(actor, id);
  }

  async resolve(actor: Actor, id: string, input: ResolutionInput): Promise<QuestionViewT> {
    const seen = await this.load(actor, id);
    assertCanResolve(actor, seen);
    if (input.outcome !== ANNULLED && !seen.options.includes(input.outcome))
      throw validation('outcome', `must be one of ${[...seen.options, ANNULLED].join(', ')}`);
    await this.w.transaction(async (trx) => {
      const at = nextTime(this.w.now(), seen.updatedAt);
      await this.w.d.repo.bump(trx, 'outlook_questions', id, at);
      if (!(await this.w.d.repo.resolve(trx, id, input.outcome, at, actor.userName)))
        throw conflict('outcome: the question is already resolved', 'outcome');
      const [q] = await this.w.d.repo.loadQuestions(trx, [id]);
      const signpostId = q!.signpost ? await this.signpostId(trx, q!, q!.signpost) : null;
      await this.w.mirror(trx, actor, q!, [questionObject(q!, signpostId)]);
      await this.w.announce(trx, q!, id, [
        { event: 'question.updated', payload: { change: 'resolution', outcome: input.outcome } },
      ]);
      if (q!.signpost && input.outcome !== ANNULLED) await this.propose(trx, q!, input.outcome, at);
    });
    return this.get(actor, id);
  }

  /** Per user of the reader's organisation: resolved questions forecast, mean Brier, calibration on yes. */
  async scores(actor: Actor): Promise<ScoresViewT> {
    assertUser(actor, 'see scores');
    const rows = await this.w.d.repo.resolvedForecastsOf(readerOf(actor), actor.org);
    const byUser = new Map<
      string,
      { user: string; member: string; briers: number[]; points: Array<{ p: number; yes: boolean }> }
    >();
    for (const { question: q, forecast: f } of rows) {
      if (q.outcome === ANNULLED || q.outcome === null) continue;
      const u = byUser.get(f.userId) ?? { user: f.userName, member: f.org, briers: [], points: [] };
      byUser.set(f.userId, u);
      u.briers.push(brier(q.options, f.probabilities, q.outcome));
      if (isBinary(q)) u.points.push({ p: f.probabilities.yes!, yes: q.outcome === 'yes' });
    }
    return {
      items: [...byUser.values()]
        .sort((a, b) => a.user.localeCompare(b.user))
        .map((u) => ({
          user: u.user,
          member: u.member,
          questions: u.briers.length,
          meanBrier: u.briers.length === 0 ? null : u.briers.reduce((a, b) => a + b, 0) / u.briers.length,
          calibration: calibration(u.points),
        })),
    };
  }

  private async load(actor: Actor, id: string): Promise<Question> {
    const [q] = await this.w.d.repo.loadQuestions(this.w.db, [id]);
    return this.w.readable(actor, q, `question ${id}`);
  }

  /** The linked signpost's STIX id, for the question's STIX form: only when every reader of the question reads the set. */
  private async signpostId(
    trx: Transaction<Schema>,
    q: Question,
    link: { set: string; key: string },
  ): Promise<string | null> {
    const [s] = await this.w.d.repo.loadStates(trx, [link.set]);
    if (!s || !readersCovered(q, s.set)) return null;
    return s.signposts.find((p) => p.key === link.key)?.id ?? null;
  }

  /**
   * A resolved yes/no question linked to a signpost proposes an observation to the set's author (who
   * accepts or dismisses it), only when that organisation may read the question: the proposal names it.
   */
  private async propose(trx: Transaction<Schema>, q: Question, outcome: string, at: string): Promise<void> {
    const [s] = await this.w.d.repo.loadSets(trx, [q.signpost!.set]);
    if (!s) return;
    const kind = ORGANISATIONS.find((o) => o.code === s.author)?.kind;
    if (!kind || !canRead({ kind: 'org', org: s.author, orgKind: kind }, q)) return;
    const id = `proposed-observation--${randomUUID()}`;
    await this.w.d.repo.insertProposal(trx, {
      id,
      setId: s.id,
      questionId: q.id,
      signpost: q.signpost!.key,
      observed: outcome === 'yes',
      outcome,
      status: 'proposed',
      observationId: null,
      createdAt: at,
      origin: 'question',
      note: null,
      confidence: null,
    });
    // For the set's author only.
    await this.w.announce(trx, { author: s.author, tlp: 'red', audience: [] }, s.id, [
      { event: 'observation.proposed', payload: { proposal: id, question: q.id, signpost: q.signpost!.key } },
    ]);
  }

  /** `setReadable`: the reader may read the set of the signpost the question observes (else the link is hidden). */
  private view(actor: Actor, q: Question, forecasts: readonly Forecast[], setReadable: boolean): QuestionViewT {
    const status = statusOf(q, this.w.now());
    const mine = actor.kind === 'user' ? forecasts.find((f) => f.userId === actor.userId) : undefined;
    const showCrowd = status !== 'open' || mine !== undefined;
    const resolved = q.outcome !== null && q.outcome !== ANNULLED ? q.outcome : null;
    return {
      id: q.id,
      title: q.title,
      resolutionCriteria: q.resolutionCriteria,
      closesAt: q.closesAt,
      options: q.options,
      author: q.author,
      tlp: q.tlp,
      audience: q.audience,
      createdAt: q.createdAt,
      createdBy: q.createdBy,
      status,
      signpost: setReadable ? q.signpost : null,
      forecasters: forecasts.length,
      crowd: showCrowd
        ? crowd(
            q.options,
            forecasts.map((f) => f.probabilities),
          )
        : null,
      myForecast: mine ? { probabilities: mine.probabilities, rationale: mine.rationale, at: mine.at } : null,
      ...(q.outcome !== null ? { resolution: { outcome: q.outcome, at: q.resolvedAt!, by: q.resolvedBy! } } : {}),
      ...(resolved !== null
        ? {
            scores: forecasts.map((f) => ({
              user: f.userName,
              member: f.org,
              brier: brier(q.options, f.probabilities, resolved),
              log: logScore(f.probabilities, resolved),
            })),
          }
        : {}),
    };
  }
}
