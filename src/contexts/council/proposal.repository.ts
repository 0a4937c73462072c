import type { Kysely, Transaction } from 'kysely';
import type { Schema, CouncilPositionsTable, CouncilProposalsTable } from '../../platform/db/schema.ts';
import { decodeAudience, encodeAudience, type Reader } from '../../kernel/access/releasability.ts';
import { releasableTo } from '../../kernel/access/releasability.sql.ts';
import { isTlp } from '../../kernel/access/tlp.ts';
import type { PositionKind, PositionRecord, Procedure, Proposal, ProposalKind, ProposalStatus } from './proposal.ts';

type Exec = Kysely<Schema> | Transaction<Schema>;

export interface ListFilter {
  status?: ProposalStatus | undefined;
  kind?: ProposalKind | undefined;
  limit: number;
}

/** council_proposals and council_positions. No business rules: the service decides, this stores. */
export class ProposalRepository {
  constructor(readonly db: Kysely<Schema>) {}

  async insert(x: Exec, p: Proposal): Promise<void> {
    await x
      .insertInto('council_proposals')
      .values({
        id: p.id,
        kind: p.kind,
        title: p.title,
        text: p.text,
        procedure: p.procedure,
        status: p.status,
        author: p.author,
        created_by: p.createdBy,
        created_at: p.createdAt,
        membership_date: p.membershipDate,
        members: encodeAudience(p.members),
        silence_ends_at: p.silenceEndsAt,
        decided_at: p.decidedAt,
        host: p.host,
        refs: JSON.stringify(p.references),
        assessment: p.assessment === null ? null : JSON.stringify(p.assessment),
        tlp: p.tlp,
        audience: encodeAudience(p.audience),
        supersedes: p.supersedes,
        superseded_by: p.supersededBy,
        version: p.version,
      })
      .execute();
  }

  async load(x: Exec, id: string): Promise<Proposal | undefined> {
    const row = await x.selectFrom('council_proposals').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const positions = await x.selectFrom('council_positions').selectAll().where('proposal_id', '=', id).execute();
    return toProposal(row, positions);
  }

  /** Several proposals with their positions, in the order of `ids` (missing ones left out). */
  async loadMany(x: Exec, ids: readonly string[]): Promise<Proposal[]> {
    if (ids.length === 0) return [];
    const rows = await x
      .selectFrom('council_proposals')
      .selectAll()
      .where('id', 'in', ids as string[])
      .execute();
    const positions = await x
      .selectFrom('council_positions')
      .selectAll()
      .where('proposal_id', 'in', ids as string[])
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => {
      const r = byId.get(id);
      return r
        ? [
            toProposal(
              r,
              positions.filter((p) => p.proposal_id === id),
            ),
          ]
        : [];
    });
  }

  /** Which of these proposals the reader may read (releasability in SQL). */
  async readableIds(reader: Reader, ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('council_proposals')
      .select('id')
      .where('id', 'in', ids as string[])
      .where(releasableTo(reader))
      .execute();
    return rows.map((r) => r.id);
  }

  /** Proposals the reader may read (releasability in SQL), newest first. */
  async list(reader: Reader, f: ListFilter): Promise<Proposal[]> {
    let q = this.db.selectFrom('council_proposals').selectAll().where(releasableTo(reader));
    if (f.status) q = q.where('status', '=', f.status);
    if (f.kind) q = q.where('kind', '=', f.kind);
    const rows = await q.orderBy('created_at', 'desc').orderBy('id').limit(f.limit).execute();
    if (rows.length === 0) return [];
    const positions = await this.db
      .selectFrom('council_positions')
      .selectAll()
      .where(
        'proposal_id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    return rows.map((r) =>
      toProposal(
        r,
        positions.filter((p) => p.proposal_id === r.id),
      ),
    );
  }

  /**
   * Records a transition only if nobody else changed the proposal since it was read
   * (optimistic concurrency on `version`). Returns false when another writer won.
   */
  async transition(
    x: Exec,
    id: string,
    fromVersion: number,
    set: { status: ProposalStatus; decidedAt: string | null; supersededBy?: string },
  ): Promise<boolean> {
    const r = await x
      .updateTable('council_proposals')
      .set({
        status: set.status,
        decided_at: set.decidedAt,
        version: fromVersion + 1,
        ...(set.supersededBy ? { superseded_by: set.supersededBy } : {}),
      })
      .where('id', '=', id)
      .where('version', '=', fromVersion)
      .where('status', '=', 'circulating')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async upsertPosition(x: Exec, id: string, org: string, p: PositionRecord & { by: string }): Promise<void> {
    await x
      .insertInto('council_positions')
      .values({ proposal_id: id, org, position: p.position, statement: p.statement, at: p.at, by_user: p.by })
      .onConflict((oc) =>
        oc
          .columns(['proposal_id', 'org'])
          .doUpdateSet({ position: p.position, statement: p.statement, at: p.at, by_user: p.by }),
      )
      .execute();
  }

  /** Silence procedures still circulating whose deadline is at or before `now`. */
  async dueIds(now: string, limit = 100, x: Exec = this.db): Promise<string[]> {
    const rows = await x
      .selectFrom('council_proposals')
      .where('status', '=', 'circulating')
      .where('procedure', '=', 'silence')
      .select('id')
      .where('silence_ends_at', '<=', now)
      .orderBy('silence_ends_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /** The earliest deadline of a circulating silence procedure, if any. */
  async nextDeadline(): Promise<string | undefined> {
    const r = await this.circulatingSilence()
      .select('silence_ends_at')
      .where('silence_ends_at', 'is not', null)
      .orderBy('silence_ends_at')
      .limit(1)
      .executeTakeFirst();
    return r?.silence_ends_at ?? undefined;
  }

  /** Silence procedures still circulating (the scheduler's working set). */
  private circulatingSilence() {
    return this.db
      .selectFrom('council_proposals')
      .where('status', '=', 'circulating')
      .where('procedure', '=', 'silence');
  }
}

type PositionRow = Omit<CouncilPositionsTable, 'proposal_id'>;

function toProposal(r: CouncilProposalsTable, rows: readonly PositionRow[]): Proposal {
  const positions: Record<string, PositionRecord & { by: string }> = {};
  for (const p of rows)
    positions[p.org] = { position: p.position as PositionKind, statement: p.statement, at: p.at, by: p.by_user };
  return {
    id: r.id,
    kind: r.kind as ProposalKind,
    title: r.title,
    text: r.text,
    procedure: r.procedure as Procedure,
    status: r.status as ProposalStatus,
    author: r.author,
    createdBy: r.created_by,
    createdAt: r.created_at,
    membershipDate: r.membership_date,
    members: decodeAudience(r.members),
    silenceEndsAt: r.silence_ends_at,
    decidedAt: r.decided_at,
    host: r.host,
    references: JSON.parse(r.refs) as string[],
    assessment: r.assessment === null ? null : (JSON.parse(r.assessment) as Record<string, unknown>),
    tlp: isTlp(r.tlp) ? r.tlp : 'red',
    audience: decodeAudience(r.audience),
    supersedes: r.supersedes,
    supersededBy: r.superseded_by,
    version: Number(r.version),
    positions,
  };
}
