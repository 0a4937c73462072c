import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { ORGANISATIONS } from '../sharing/organisations.ts';
import { canRead, type Releasable } from '../../kernel/access/releasability.ts';
import type { Schema } from '../../platform/db/schema.ts';
import { conflict, notFound, validation } from '../../platform/errors.ts';
import { systemActor, type Actor } from '../../kernel/access/actor.ts';
import type { Tlp } from '../../kernel/access/tlp.ts';
import { assertAuthor, assertUser, readersCovered } from './outlook.policy.ts';
import type { OutlookWriter } from './outlook.writer.ts';
import type { ScenarioService } from './scenario.service.ts';
import type { ProposedObservation } from './outlook.repository.ts';
import type { ObservationCreatedT, ProposedObservationViewT } from './outlook.schema.ts';

/** The note of an observation whose claim is released more narrowly than its scenario set. */
export const CLAIM_NOT_QUOTED =
  'Open-source claim (its document is released more narrowly than this set, so it is not quoted)';

/**
 * Observations proposed to a set's author when a yes/no question linked to one of its signposts
 * resolves (yes: observed, no: not observed). The author accepts (the observation is recorded, citing
 * the question as evidence) or dismisses each one.
 */
export class ProposedObservationService {
  constructor(
    private readonly w: OutlookWriter,
    private readonly sets: ScenarioService,
  ) {}

  async list(actor: Actor, setId: string): Promise<{ items: ProposedObservationViewT[]; next: null }> {
    const s = await this.sets.state(actor, setId);
    assertAuthor(actor, s.set, 'see the observations proposed to this set');
    const all = await this.w.d.repo.proposals(this.w.db, setId);
    // a claim's proposal quotes its document: shown only while the reader may still read it
    const docs = await this.w.readableIds(actor, [
      ...new Set(all.filter((p) => p.origin === 'claim').map((p) => p.questionId)),
    ]);
    return { items: all.filter((p) => p.origin !== 'claim' || docs.has(p.questionId)).map(view), next: null };
  }

  /**
   * A claim of an open-source document proposed as an observation of a signpost (the sources context calls
   * this when an analyst links the claim). The proposer must read the set; the proposal goes to the set's
   * author, so that organisation must be able to read the document (released no wider than both).
   */
  async proposeFromClaim(
    actor: Actor,
    input: {
      setId: string;
      signpost: string;
      observed: boolean;
      document: { id: string } & Releasable;
      note: string;
      confidence: number;
    },
  ): Promise<string> {
    assertUser(actor, 'propose an observation');
    const s = await this.sets.state(actor, input.setId);
    if (!s.signposts.some((p) => p.key === input.signpost))
      throw validation('signpost', `is not a signpost of scenario set ${input.setId}`);
    const kind = ORGANISATIONS.find((o) => o.code === s.set.author)?.kind;
    if (!kind || !canRead({ kind: 'org', org: s.set.author, orgKind: kind }, input.document))
      throw validation(
        'set',
        `its author ${s.set.author} may not read this document, so it cannot be proposed to them`,
      );
    const id = `proposed-observation--${randomUUID()}`;
    await this.w.transaction(async (trx) => {
      await this.w.d.repo.insertProposal(trx, {
        id,
        setId: s.set.id,
        questionId: input.document.id,
        signpost: input.signpost,
        observed: input.observed,
        outcome: input.observed ? 'observed' : 'not observed',
        status: 'proposed',
        observationId: null,
        createdAt: this.w.now().toISOString(),
        origin: 'claim',
        note: input.note.slice(0, 5000),
        confidence: input.confidence,
      });
      // For the set's author only.
      await this.w.announce(trx, { author: s.set.author, tlp: 'red', audience: [] }, s.set.id, [
        {
          event: 'observation.proposed',
          payload: { proposal: id, document: input.document.id, signpost: input.signpost },
        },
      ]);
    });
    return id;
  }

  async accept(actor: Actor, setId: string, id: string): Promise<ObservationCreatedT> {
    const p = await this.pending(actor, setId, id);
    if (p.origin === 'claim') {
      const readable = await this.w.readableIds(actor, [p.questionId]);
      if (!readable.has(p.questionId)) throw notFound(`proposed observation ${id}`);
      // The note (the claim's text, speaker and document title) is shown to every reader of the set, the
      // document only to its own readers: the quote goes into the note only when they are the same or more.
      const { set } = await this.sets.state(actor, setId);
      const { meta } = await this.w.d.knowledge.get(systemActor('outlook'), p.questionId);
      const quoted = readersCovered(set, { author: meta.author, tlp: meta.tlp as Tlp, audience: meta.audience });
      return this.sets.addObservation(
        actor,
        setId,
        {
          signpost: p.signpost,
          observed: p.observed,
          confidence: p.confidence ?? 1,
          observedAt: p.createdAt,
          evidence: [p.questionId],
          note: quoted ? (p.note ?? 'Open-source claim') : CLAIM_NOT_QUOTED,
        },
        (trx, observation) => this.settle(trx, setId, id, 'accepted', observation),
      );
    }
    const { set } = await this.sets.state(actor, setId);
    const [q] = await this.w.d.repo.loadQuestions(this.w.db, [p.questionId]);
    const evidence = q && (await this.w.readableIds(actor, [q.id])).has(q.id) ? [q.id] : [];
    // The note is shown to every reader of the set, the evidence only to those who may read the question: the
    // question's title goes into the note only when every reader of the set may read the question.
    const titled = q !== undefined && evidence.length > 0 && readersCovered(set, q);
    const created = await this.sets.addObservation(
      actor,
      setId,
      {
        signpost: p.signpost,
        observed: p.observed,
        confidence: 1,
        observedAt: q?.resolvedAt ?? p.createdAt,
        evidence,
        note: `Forecast question resolved "${p.outcome}"${titled ? `: ${q.title}` : ''}`.slice(0, 5000),
      },
      (trx, observation) => this.settle(trx, setId, id, 'accepted', observation),
    );
    return created;
  }

  async dismiss(actor: Actor, setId: string, id: string): Promise<ProposedObservationViewT> {
    await this.pending(actor, setId, id);
    await this.w.transaction((trx) => this.settle(trx, setId, id, 'dismissed', null));
    return view((await this.w.d.repo.proposals(this.w.db, setId)).find((x) => x.id === id)!);
  }

  private async pending(actor: Actor, setId: string, id: string): Promise<ProposedObservation> {
    assertUser(actor, 'settle a proposed observation');
    const s = await this.sets.state(actor, setId);
    assertAuthor(actor, s.set, 'settle a proposed observation');
    const p = (await this.w.d.repo.proposals(this.w.db, setId)).find((x) => x.id === id);
    if (!p) throw notFound(`proposed observation ${id}`);
    if (p.status !== 'proposed') throw conflict(`the proposed observation is already ${p.status}`);
    return p;
  }

  private async settle(
    trx: Transaction<Schema>,
    setId: string,
    id: string,
    status: 'accepted' | 'dismissed',
    observation: string | null,
  ): Promise<void> {
    const [s] = await this.w.d.repo.loadSets(trx, [setId]);
    if (!(await this.w.d.repo.settleProposal(trx, id, status, observation)))
      throw conflict('the proposed observation was settled meanwhile');
    // For the set's author only, as the proposal itself.
    await this.w.announce(trx, { author: s!.author, tlp: 'red', audience: [] }, setId, [
      { event: 'outlook.updated', payload: { change: 'proposal', proposal: id, status } },
    ]);
  }
}

function view(p: ProposedObservation): ProposedObservationViewT {
  return {
    id: p.id,
    set: p.setId,
    question: p.questionId,
    signpost: p.signpost,
    observed: p.observed,
    outcome: p.outcome,
    status: p.status,
    createdAt: p.createdAt,
    observation: p.observationId,
    origin: p.origin,
    note: p.note,
  };
}
