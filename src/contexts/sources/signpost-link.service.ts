import type { Kysely } from 'kysely';
import type { Actor, UserActor } from '../../kernel/access/actor.ts';
import type { Releasable } from '../../kernel/access/releasability.ts';
import type { Clock } from '../../platform/clock.ts';
import { conflict, DomainError, validation } from '../../platform/errors.ts';
import type { DocumentService } from './document.service.ts';
import type { SignpostLinkInput, SignpostLinkViewT } from './sources.schema.ts';
import type { SourcesDb } from './sources.tables.ts';

/** What the sources context needs of the outlook: reading a set as an actor, and proposing an observation. */
export interface SignpostOutlook {
  scenarios: { state(actor: Actor, id: string): Promise<{ set: Releasable & { id: string } }> };
  proposals: {
    proposeFromClaim(
      actor: Actor,
      input: {
        setId: string;
        signpost: string;
        observed: boolean;
        document: { id: string } & Releasable;
        note: string;
        confidence: number;
      },
    ): Promise<string>;
  };
}

/** An observation's confidence (0.5–1) from the information credibility of the document (1–6). */
export function confidenceOf(credibility: number | null): number {
  return ({ 1: 1, 2: 0.9, 3: 0.75, 4: 0.6 } as Record<number, number>)[credibility ?? 6] ?? 0.5;
}

/**
 * A claim linked to an outlook signpost: the outlook proposes an observation to the set's author (its own
 * flow, as when a forecast question resolves). The linker reads both the document and the set; the proposal
 * goes only to an author who may read the document; a reader sees a link only when it may read both.
 */
export class SignpostLinkService {
  constructor(
    private readonly db: Kysely<SourcesDb>,
    private readonly docs: DocumentService,
    private readonly outlook: SignpostOutlook | undefined,
    private readonly clock: Clock,
  ) {}

  async link(actor: UserActor, docId: string, input: SignpostLinkInput): Promise<SignpostLinkViewT> {
    const outlook = this.need();
    const doc = await this.docs.get(actor, docId);
    const claim = doc.claims.find((c) => c.start === input.claim);
    if (!claim) throw validation('claim', 'is not the start of a claim of this document');
    const taken = await this.db
      .selectFrom('sources_signpost_links')
      .select('proposal_id')
      .where('doc_id', '=', docId)
      .where('pos_start', '=', claim.start)
      .where('set_id', '=', input.set)
      .where('signpost', '=', input.signpost)
      .executeTakeFirst();
    if (taken) throw conflict('this claim is already linked to that signpost');
    const row = await this.docs.readableRow(actor, docId);
    const speaker = doc.entities.find((e) => e.id === claim.speaker)?.name;
    const note = `Open-source claim${speaker ? ` by ${speaker}` : ''} in "${doc.title ?? docId}" (${doc.grade}): "${claim.text}"`;
    const proposal = await outlook.proposals.proposeFromClaim(actor, {
      setId: input.set,
      signpost: input.signpost,
      observed: input.observed,
      document: { id: docId, author: doc.author, tlp: doc.tlp, audience: doc.audience },
      note,
      confidence: confidenceOf(row.credibility),
    });
    const at = new Date(this.clock.now()).toISOString();
    await this.db
      .insertInto('sources_signpost_links')
      .values({
        doc_id: docId,
        pos_start: claim.start,
        set_id: input.set,
        signpost: input.signpost,
        observed: input.observed ? 1 : 0,
        proposal_id: proposal,
        org: actor.org,
        by_user: actor.userName,
        created_at: at,
      })
      .execute();
    return {
      claim: claim.start,
      set: input.set,
      signpost: input.signpost,
      observed: input.observed,
      proposal,
      by: actor.org,
      at,
    };
  }

  /** The document's signpost links the reader may see: it reads the document and each link's set. */
  async list(actor: Actor, docId: string): Promise<SignpostLinkViewT[]> {
    await this.docs.readableRow(actor, docId);
    if (!this.outlook) return [];
    const rows = await this.db
      .selectFrom('sources_signpost_links')
      .selectAll()
      .where('doc_id', '=', docId)
      .orderBy('created_at')
      .execute();
    const readableSets = new Set<string>();
    for (const set of new Set(rows.map((r) => r.set_id))) {
      try {
        await this.outlook.scenarios.state(actor, set);
        readableSets.add(set);
      } catch {
        // a set the reader may not read: its links do not exist for it
      }
    }
    return rows
      .filter((r) => readableSets.has(r.set_id))
      .map((r) => ({
        claim: r.pos_start,
        set: r.set_id,
        signpost: r.signpost,
        observed: Number(r.observed) === 1,
        proposal: r.proposal_id,
        by: r.org,
        at: r.created_at,
      }));
  }

  private need(): SignpostOutlook {
    if (!this.outlook) throw new DomainError('unavailable', 'the outlook is not part of this server');
    return this.outlook;
  }
}
