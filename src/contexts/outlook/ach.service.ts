import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import { notFound, validation } from '../../platform/errors.ts';
import { readerOf, type Actor, type UserActor } from '../../kernel/access/actor.ts';
import { assertAudience } from '../sharing/audience.service.ts';
import { decisiveEvidence, diagnostic, score } from './ach.ts';
import { nextTime, type AchEvidenceRecord, type AchMatrix } from './outlook.ts';
import { achObject, STIX_TYPES } from './outlook-stix.ts';
import { assertAuthor, assertUser } from './outlook.policy.ts';
import { listPosition, pageOfRows, type OutlookWriter } from './outlook.writer.ts';
import {
  MAX_ACH_EVIDENCE,
  type AchEvidenceInput,
  type AchSummaryT,
  type AchViewT,
  type CreateAchInput,
  type ListQueryT,
} from './outlook.schema.ts';

interface Loaded {
  matrix: AchMatrix;
  evidence: AchEvidenceRecord[];
}

/** Analyses of competing hypotheses (api.md, Outlook: ACH). */
export class AchService {
  constructor(private readonly w: OutlookWriter) {}

  async create(actor: Actor, input: CreateAchInput): Promise<AchViewT> {
    assertUser(actor, 'create an ACH matrix');
    await assertAudience(this.w.db, input.audience);
    const now = this.w.now().toISOString();
    const matrix: AchMatrix = {
      id: `${STIX_TYPES.ach}--${randomUUID()}`,
      title: input.title,
      description: input.description || null,
      hypotheses: input.hypotheses.map((h) => ({ key: h.key, title: h.title })),
      author: actor.org,
      tlp: input.tlp,
      audience: [...new Set(input.audience ?? [])].sort(),
      createdBy: actor.userName,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    await this.w.transaction(async (trx) => {
      await this.w.d.repo.insertAch(trx, matrix);
      await this.w.mirror(trx, actor, matrix, [achObject(matrix, [])]);
      await this.w.announce(trx, matrix, matrix.id, [{ event: 'ach.created', payload: { title: matrix.title } }]);
    });
    return this.view(actor, { matrix, evidence: [] });
  }

  async list(actor: Actor, q: ListQueryT): Promise<{ items: AchSummaryT[]; next: string | null }> {
    const after = listPosition(q.cursor, STIX_TYPES.ach);
    const page = pageOfRows(await this.w.d.repo.page(readerOf(actor), 'outlook_ach', q.limit + 1, after), q.limit);
    const loaded = await this.w.d.repo.loadAchs(
      this.w.db,
      page.items.map((r) => r.id),
    );
    return {
      items: loaded.map(({ matrix: m, evidence }) => ({
        id: m.id,
        title: m.title,
        author: m.author,
        tlp: m.tlp,
        audience: m.audience,
        createdAt: m.createdAt,
        updatedAt: m.updatedAt,
        hypotheses: m.hypotheses.length,
        evidence: evidence.length,
      })),
      next: page.next,
    };
  }

  async get(actor: Actor, id: string): Promise<AchViewT> {
    return this.view(actor, await this.load(actor, id));
  }

  /** Adds evidence, or replaces the evidence of the same key (`replace`: PUT …/evidence/{key}). */
  async putEvidence(actor: Actor, id: string, input: AchEvidenceInput, replace = false): Promise<AchViewT> {
    if (input.source !== undefined && !(await this.w.readableIds(actor, [input.source])).has(input.source))
      throw validation('source', `no object ${input.source} that you may read`);
    return this.change(actor, id, 'rate evidence', async (trx, a, user) => {
      const keys = a.matrix.hypotheses.map((h) => h.key);
      const unknown = Object.keys(input.ratings).find((k) => !keys.includes(k));
      if (unknown !== undefined) throw validation(`ratings.${unknown}`, 'is not a hypothesis of this matrix');
      const missing = keys.filter((k) => !(k in input.ratings));
      if (missing.length > 0) throw validation('ratings', `needs a rating for ${missing.join(', ')}`);
      const existing = a.evidence.find((e) => e.key === input.key);
      if (existing && !replace) throw validation('key', `the matrix already has evidence ${input.key}`);
      if (!existing && a.evidence.length >= MAX_ACH_EVIDENCE)
        throw validation('key', `a matrix holds at most ${MAX_ACH_EVIDENCE} pieces of evidence`);
      const e: AchEvidenceRecord = {
        key: input.key,
        title: input.title,
        credibility: input.credibility,
        relevance: input.relevance,
        ratings: Object.fromEntries(keys.map((k) => [k, input.ratings[k]!])),
        source: input.source ?? null,
        seq: existing?.seq ?? (await this.w.d.repo.nextSeq(trx, 'evidence', id)),
      };
      await this.w.d.repo.putEvidence(trx, id, e);
      const evidence = existing ? a.evidence.map((x) => (x.key === e.key ? e : x)) : [...a.evidence, e];
      return this.saved(trx, user, { ...a, evidence }, { change: 'evidence', key: e.key });
    });
  }

  async removeEvidence(actor: Actor, id: string, key: string): Promise<AchViewT> {
    return this.change(actor, id, 'remove evidence', async (trx, a, user) => {
      if (!(await this.w.d.repo.deleteEvidence(trx, id, key))) throw notFound(`evidence ${key}`);
      const evidence = a.evidence.filter((e) => e.key !== key);
      return this.saved(trx, user, { ...a, evidence }, { change: 'evidence-removed', key });
    });
  }

  private async saved(
    trx: Transaction<Schema>,
    user: UserActor,
    a: Loaded,
    payload: Record<string, unknown>,
  ): Promise<AchViewT> {
    await this.w.mirror(trx, user, a.matrix, [achObject(a.matrix, a.evidence)]);
    await this.w.announce(trx, a.matrix, a.matrix.id, [{ event: 'ach.updated', payload }]);
    return this.view(user, a);
  }

  private async change<T>(
    actor: Actor,
    id: string,
    what: string,
    fn: (trx: Transaction<Schema>, a: Loaded, user: UserActor) => Promise<T>,
  ): Promise<T> {
    assertUser(actor, what);
    const seen = await this.load(actor, id);
    assertAuthor(actor, seen.matrix, what);
    return this.w.transaction(async (trx) => {
      const at = nextTime(this.w.now(), seen.matrix.updatedAt);
      await this.w.d.repo.bump(trx, 'outlook_ach', id, at);
      const [a] = await this.w.d.repo.loadAchs(trx, [id]);
      if (!a) throw notFound(`ACH matrix ${id}`);
      return fn(trx, a, actor);
    });
  }

  private async load(actor: Actor, id: string): Promise<Loaded> {
    const [a] = await this.w.d.repo.loadAchs(this.w.db, [id]);
    return { matrix: this.w.readable(actor, a?.matrix, `ACH matrix ${id}`), evidence: a!.evidence };
  }

  private async view(actor: Actor, { matrix: m, evidence }: Loaded): Promise<AchViewT> {
    const keys = m.hypotheses.map((h) => h.key);
    const scores = score(keys, evidence);
    const sources = await this.w.readableIds(
      actor,
      evidence.flatMap((e) => (e.source ? [e.source] : [])),
    );
    return {
      id: m.id,
      title: m.title,
      description: m.description,
      author: m.author,
      tlp: m.tlp,
      audience: m.audience,
      createdAt: m.createdAt,
      updatedAt: m.updatedAt,
      hypotheses: m.hypotheses.map((h, i) => ({
        ...h,
        inconsistency: scores[i]!.inconsistency,
        rank: scores[i]!.rank,
      })),
      evidence: evidence.map((e) => ({
        key: e.key,
        title: e.title,
        credibility: e.credibility,
        relevance: e.relevance,
        ratings: e.ratings,
        source: e.source && sources.has(e.source) ? e.source : null,
        diagnostic: diagnostic(keys, e),
      })),
      decisive: decisiveEvidence(keys, evidence),
    };
  }
}
