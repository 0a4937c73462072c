import { sql, type Kysely, type Transaction } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import type { Reader } from '../../kernel/access/releasability.ts';
import { releasableTo } from '../../kernel/access/releasability.sql.ts';
import type { Grade, Rating } from './ach.ts';
import type {
  AchEvidenceRecord,
  AchMatrix,
  Forecast,
  Observation,
  Question,
  ScenarioSet,
  SetState,
  Signpost,
} from './outlook.ts';
import {
  json,
  released,
  sharedValues,
  toForecast,
  toObservation,
  toSignpost,
  type OutlookTables,
} from './outlook.rows.ts';

export type { OutlookTables };

export type OutlookDb = Kysely<Schema & OutlookTables>;
export type Exec = Kysely<Schema> | Transaction<Schema>;
const o = (x: Exec): OutlookDb => x.withTables<OutlookTables>();

export type SharedTable = 'outlook_sets' | 'outlook_questions' | 'outlook_ach';

/** A page position: the last row's creation time and id (newest first). */
export interface After {
  createdAt: string;
  id: string;
}

export interface ProposedObservation {
  id: string;
  setId: string;
  questionId: string;
  signpost: string;
  observed: boolean;
  outcome: string;
  status: 'proposed' | 'accepted' | 'dismissed';
  observationId: string | null;
  createdAt: string;
  /** A resolved question (questionId), or a claim of an open-source document (questionId is the document). */
  origin: 'question' | 'claim';
  /** The observation's note when accepted (a claim's text and attribution). */
  note: string | null;
  confidence: number | null;
}

/** The outlook tables. No business rules: the service decides, this stores. */
export class OutlookRepository {
  constructor(readonly db: Kysely<Schema>) {}

  /** Ids of one table's rows the reader may read (releasability in SQL), newest first, one page. */
  async page(reader: Reader, table: SharedTable, limit: number, after?: After): Promise<After[]> {
    let q = o(this.db).selectFrom(table).select(['id', 'created_at']).where(releasableTo(reader));
    if (after)
      q = q.where((eb) =>
        eb.or([
          eb('created_at', '<', after.createdAt),
          eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)]),
        ]),
      );
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => ({ id: r.id, createdAt: r.created_at }));
  }

  /**
   * Takes the row's write lock and moves its version on: concurrent writers to one set, question or
   * matrix queue here (PostgreSQL row lock; SQLite has one writer), so each computes from the last commit.
   */
  async bump(x: Exec, table: SharedTable, id: string, updatedAt: string): Promise<void> {
    await o(x)
      .updateTable(table)
      .set({ version: sql<number>`version + 1`, updated_at: updatedAt })
      .where('id', '=', id)
      .execute();
  }

  /** The next sequence number of a set's signposts or observations, or a matrix's evidence (call under bump's lock). */
  async nextSeq(x: Exec, of: 'signposts' | 'observations' | 'evidence', parent: string): Promise<number> {
    const max = sql<number | null>`max(seq)`.as('m');
    const r =
      of === 'evidence'
        ? await o(x).selectFrom('outlook_ach_evidence').select(max).where('ach_id', '=', parent).executeTakeFirst()
        : await o(x)
            .selectFrom(of === 'signposts' ? 'outlook_signposts' : 'outlook_observations')
            .select(max)
            .where('set_id', '=', parent)
            .executeTakeFirst();
    return Number(r?.m ?? 0) + 1;
  }

  // ---- scenario sets ----

  async insertSet(x: Exec, s: ScenarioSet): Promise<void> {
    await o(x)
      .insertInto('outlook_sets')
      .values({
        ...sharedValues(s),
        question: s.question,
        horizon: s.horizon,
        scenarios: json(s.scenarios),
        impacts: json(s.impacts),
      })
      .execute();
  }

  async setImpacts(x: Exec, id: string, impacts: ScenarioSet['impacts']): Promise<void> {
    await o(x)
      .updateTable('outlook_sets')
      .set({ impacts: json(impacts) })
      .where('id', '=', id)
      .execute();
  }

  async loadSets(x: Exec, ids: readonly string[]): Promise<ScenarioSet[]> {
    if (ids.length === 0) return [];
    const rows = await o(x)
      .selectFrom('outlook_sets')
      .selectAll()
      .where('id', 'in', [...ids])
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => {
      const r = byId.get(id);
      return r
        ? [
            {
              id: r.id,
              title: r.title,
              question: r.question,
              horizon: r.horizon,
              scenarios: JSON.parse(r.scenarios) as ScenarioSet['scenarios'],
              impacts: JSON.parse(r.impacts) as ScenarioSet['impacts'],
              ...released(r),
              createdBy: r.created_by,
              createdAt: r.created_at,
              updatedAt: r.updated_at,
              version: Number(r.version),
            },
          ]
        : [];
    });
  }

  /** Sets with their signposts and observations (observedAt order, then creation). */
  async loadStates(x: Exec, ids: readonly string[]): Promise<SetState[]> {
    const sets = await this.loadSets(x, ids);
    if (sets.length === 0) return [];
    const setIds = sets.map((s) => s.id);
    const [signposts, observations] = await Promise.all([
      o(x).selectFrom('outlook_signposts').selectAll().where('set_id', 'in', setIds).orderBy('seq').execute(),
      o(x)
        .selectFrom('outlook_observations')
        .selectAll()
        .where('set_id', 'in', setIds)
        .orderBy('set_id')
        .orderBy('seq')
        .execute(),
    ]);
    return sets.map((set) => ({
      set,
      signposts: signposts.filter((p) => p.set_id === set.id).map(toSignpost),
      observations: inObservedOrder(observations.filter((r) => r.set_id === set.id).map(toObservation)),
    }));
  }

  async insertSignpost(x: Exec, setId: string, p: Signpost): Promise<void> {
    await o(x)
      .insertInto('outlook_signposts')
      .values({
        set_id: setId,
        key: p.key,
        id: p.id,
        title: p.title,
        description: p.description,
        likelihoods: json(p.likelihoods),
        created_at: p.createdAt,
        seq: p.seq,
      })
      .execute();
  }

  async insertObservation(x: Exec, setId: string, ob: Observation): Promise<void> {
    await o(x)
      .insertInto('outlook_observations')
      .values({
        id: ob.id,
        set_id: setId,
        signpost: ob.signpost,
        observed: ob.observed ? 1 : 0,
        confidence: ob.confidence,
        observed_at: ob.observedAt,
        evidence: json(ob.evidence),
        note: ob.note,
        created_at: ob.createdAt,
        created_by: ob.createdBy,
        seq: ob.seq,
      })
      .execute();
  }

  async insertProposal(x: Exec, p: ProposedObservation): Promise<void> {
    await o(x)
      .insertInto('outlook_proposed_observations')
      .values({
        id: p.id,
        set_id: p.setId,
        question_id: p.questionId,
        signpost: p.signpost,
        observed: p.observed ? 1 : 0,
        outcome: p.outcome,
        status: p.status,
        observation_id: p.observationId,
        created_at: p.createdAt,
        origin: p.origin,
        note: p.note,
        confidence: p.confidence,
      })
      .execute();
  }

  async proposals(x: Exec, setId: string): Promise<ProposedObservation[]> {
    const rows = await o(x)
      .selectFrom('outlook_proposed_observations')
      .selectAll()
      .where('set_id', '=', setId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      setId: r.set_id,
      questionId: r.question_id,
      signpost: r.signpost,
      observed: Number(r.observed) === 1,
      outcome: r.outcome,
      status: r.status as ProposedObservation['status'],
      observationId: r.observation_id,
      createdAt: r.created_at,
      origin: r.origin === 'claim' ? ('claim' as const) : ('question' as const),
      note: r.note,
      confidence: r.confidence === null ? null : Number(r.confidence),
    }));
  }

  async settleProposal(x: Exec, id: string, status: 'accepted' | 'dismissed', observationId: string | null) {
    const r = await o(x)
      .updateTable('outlook_proposed_observations')
      .set({ status, observation_id: observationId })
      .where('id', '=', id)
      .where('status', '=', 'proposed')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  // ---- questions ----

  async insertQuestion(x: Exec, q: Question): Promise<void> {
    await o(x)
      .insertInto('outlook_questions')
      .values({
        ...sharedValues(q),
        resolution_criteria: q.resolutionCriteria,
        closes_at: q.closesAt,
        options: json(q.options),
        signpost_set: q.signpost?.set ?? null,
        signpost_key: q.signpost?.key ?? null,
        outcome: q.outcome,
        resolved_at: q.resolvedAt,
        resolved_by: q.resolvedBy,
      })
      .execute();
  }

  async loadQuestions(x: Exec, ids: readonly string[]): Promise<Question[]> {
    if (ids.length === 0) return [];
    const rows = await o(x)
      .selectFrom('outlook_questions')
      .selectAll()
      .where('id', 'in', [...ids])
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => {
      const r = byId.get(id);
      if (!r) return [];
      return [
        {
          id: r.id,
          title: r.title,
          resolutionCriteria: r.resolution_criteria,
          closesAt: r.closes_at,
          options: JSON.parse(r.options) as string[],
          signpost: r.signpost_set && r.signpost_key ? { set: r.signpost_set, key: r.signpost_key } : null,
          ...released(r),
          createdBy: r.created_by,
          createdAt: r.created_at,
          updatedAt: r.updated_at,
          outcome: r.outcome,
          resolvedAt: r.resolved_at,
          resolvedBy: r.resolved_by,
          version: Number(r.version),
        },
      ];
    });
  }

  async resolve(x: Exec, id: string, outcome: string, at: string, by: string): Promise<boolean> {
    const r = await o(x)
      .updateTable('outlook_questions')
      .set({ outcome, resolved_at: at, resolved_by: by })
      .where('id', '=', id)
      .where('outcome', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** A user's forecast replaces their previous one (the latest counts); `revisions` counts them. */
  async upsertForecast(x: Exec, questionId: string, f: Forecast): Promise<void> {
    const values = { probabilities: json(f.probabilities), rationale: f.rationale, at: f.at, user_name: f.userName };
    await o(x)
      .insertInto('outlook_forecasts')
      .values({ question_id: questionId, user_id: f.userId, org: f.org, revisions: 1, ...values })
      .onConflict((oc) =>
        oc
          .columns(['question_id', 'user_id'])
          .doUpdateSet({ ...values, revisions: sql<number>`outlook_forecasts.revisions + 1` }),
      )
      .execute();
  }

  async forecasts(x: Exec, questionIds: readonly string[]): Promise<Map<string, Forecast[]>> {
    const out = new Map<string, Forecast[]>(questionIds.map((id) => [id, []]));
    if (questionIds.length === 0) return out;
    const rows = await o(x)
      .selectFrom('outlook_forecasts')
      .selectAll()
      .where('question_id', 'in', [...questionIds])
      .orderBy('user_name')
      .orderBy('user_id')
      .execute();
    for (const r of rows) out.get(r.question_id)?.push(toForecast(r));
    return out;
  }

  /** The latest forecasts of one organisation's users on resolved questions the reader may read. */
  async resolvedForecastsOf(reader: Reader, org: string): Promise<Array<{ question: Question; forecast: Forecast }>> {
    const rows = await o(this.db)
      .selectFrom('outlook_forecasts as f')
      .innerJoin('outlook_questions as q', 'q.id', 'f.question_id')
      .selectAll('f')
      .where('f.org', '=', org)
      .where('q.outcome', 'is not', null)
      .where(releasableTo(reader, 'q'))
      .execute();
    const questions = new Map(
      (await this.loadQuestions(this.db, [...new Set(rows.map((r) => r.question_id))])).map((q) => [q.id, q]),
    );
    return rows.map((r) => ({ question: questions.get(r.question_id)!, forecast: toForecast(r) }));
  }

  // ---- ACH ----

  async insertAch(x: Exec, a: AchMatrix): Promise<void> {
    await o(x)
      .insertInto('outlook_ach')
      .values({ ...sharedValues(a), description: a.description, hypotheses: json(a.hypotheses) })
      .execute();
  }

  async loadAchs(
    x: Exec,
    ids: readonly string[],
  ): Promise<Array<{ matrix: AchMatrix; evidence: AchEvidenceRecord[] }>> {
    if (ids.length === 0) return [];
    const [rows, ev] = await Promise.all([
      o(x)
        .selectFrom('outlook_ach')
        .selectAll()
        .where('id', 'in', [...ids])
        .execute(),
      o(x)
        .selectFrom('outlook_ach_evidence')
        .selectAll()
        .where('ach_id', 'in', [...ids])
        .orderBy('seq')
        .execute(),
    ]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => {
      const r = byId.get(id);
      if (!r) return [];
      const matrix: AchMatrix = {
        id: r.id,
        title: r.title,
        description: r.description,
        hypotheses: JSON.parse(r.hypotheses) as AchMatrix['hypotheses'],
        ...released(r),
        createdBy: r.created_by,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
        version: Number(r.version),
      };
      const evidence = ev
        .filter((e) => e.ach_id === id)
        .map((e) => ({
          key: e.key,
          title: e.title,
          credibility: e.credibility as Grade,
          relevance: e.relevance as Grade,
          ratings: JSON.parse(e.ratings) as Record<string, Rating>,
          source: e.source,
          seq: Number(e.seq),
        }));
      return [{ matrix, evidence }];
    });
  }

  /** Adds the evidence, or replaces the one of the same key (keeping its place). */
  async putEvidence(x: Exec, achId: string, e: AchEvidenceRecord): Promise<void> {
    const values = {
      title: e.title,
      credibility: e.credibility,
      relevance: e.relevance,
      ratings: json(e.ratings),
      source: e.source,
    };
    await o(x)
      .insertInto('outlook_ach_evidence')
      .values({ ach_id: achId, key: e.key, seq: e.seq, ...values })
      .onConflict((oc) => oc.columns(['ach_id', 'key']).doUpdateSet(values))
      .execute();
  }

  async deleteEvidence(x: Exec, achId: string, key: string): Promise<boolean> {
    const r = await o(x)
      .deleteFrom('outlook_ach_evidence')
      .where('ach_id', '=', achId)
      .where('key', '=', key)
      .executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }
}

/** byObservedAt's order, each time parsed once rather than in every comparison. */
function inObservedOrder(obs: Observation[]): Observation[] {
  const at = new Map(obs.map((o) => [o, Date.parse(o.observedAt)]));
  return obs.sort((a, b) => at.get(a)! - at.get(b)! || a.seq - b.seq);
}
