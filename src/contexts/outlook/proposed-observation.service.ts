import type { Transaction } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import type { Actor } from '../../kernel/access/actor.ts';
import { assertAuthor, assertUser, readersCovered } from './outlook.policy.ts';
import type { OutlookWriter } from './outlook.writer.ts';
import type { ScenarioService } from './scenario.service.ts';
import type { ProposedObservation } from './outlook.repository.ts';
import type { ObservationCreatedT, ProposedObservationViewT } from './outlook.schema.ts';

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
    return { items: (await this.w.d.repo.proposals(this.w.db, setId)).map(view), next: null };
  }

  async accept(actor: Actor, setId: string, id: string): Promise<ObservationCreatedT> {
    const p = await this.pending(actor, setId, id);
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
  };
}
