import type { Kysely } from 'kysely';
import { readerOf, type Actor, type UserActor } from '../../kernel/access/actor.ts';
import type { Reader } from '../../kernel/access/releasability.ts';
import { releasableTo } from '../../kernel/access/releasability.sql.ts';
import type { Clock } from '../../platform/clock.ts';
import { forbidden, notFound, validation } from '../../platform/errors.ts';
import type { DocumentService } from './document.service.ts';
import { gradeOf } from './document.service.ts';
import { aliasesOf, editsOf, readerView, type ReaderView } from './entity-view.service.ts';
import { touched } from './view.ts';
import { fold } from './fold.ts';
import { entityIdOf } from './resolution.service.ts';
import { nextEditSeq, searchPairs, type PairRow } from './sources.repository.ts';
import { score, type Profile } from './resolve.ts';
import type { EntityKind } from './gazetteer.ts';
import type { SourcesDb } from './sources.tables.ts';
import type { EntityViewT } from './sources.schema.ts';

/** An unordered pair of entity ids. */
const pairOf = (a: string, b: string): string => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

type Summary = { id: string; kind: 'person' | 'organisation' | 'place'; name: string; aliases: string[] };

/** Entities as one reader sees them: search, pages, review queue, and its organisation's merges and splits. */
export class EntityService {
  constructor(
    private readonly db: Kysely<SourcesDb>,
    private readonly docs: DocumentService,
    private readonly clock: Clock,
  ) {}

  /** Entities with a readable alias whose folded form contains the folded query. */
  async search(
    actor: Actor,
    q: { q: string; limit: number; cursor?: string | undefined },
  ): Promise<{ items: Summary[]; next: string | null }> {
    const reader = readerOf(actor);
    const offset = q.cursor && /^\d{1,6}$/.test(q.cursor) ? Number(q.cursor) : 0;
    const want = offset + q.limit + 1;
    const pairs = await searchPairs(this.db, reader, fold(q.q), Math.min(20_000, want * 8));
    // Only entities the organisation's merges and splits touch are viewed under another id; every other pair
    // is its own entity. So the full view is built for the touched ones and for the page shown, not for every
    // match (the view of 160 matches cost more than the search itself).
    const edits = await editsOf(this.db, reader.kind === 'org' ? reader.org : undefined);
    const moved = touched(edits);
    const found = [...new Set(pairs.map((p) => p.entity_id))];
    const partial = found.some((id) => moved.has(id))
      ? await readerView(
          this.db,
          reader,
          found.filter((id) => moved.has(id)),
          edits,
        )
      : undefined;
    const viewOf = (entity: string, f: string): string =>
      partial && moved.has(entity) ? partial.viewOf(entity, f) : entity;
    const ids = [...new Set(pairs.map((p) => viewOf(p.entity_id, p.fold)))];
    const page = ids.slice(offset, offset + q.limit);
    const items = await this.summaries(await readerView(this.db, reader, page, edits), page);
    return { items, next: ids.length > offset + q.limit ? String(offset + q.limit) : null };
  }

  async get(actor: Actor, id: string): Promise<EntityViewT> {
    const reader = readerOf(actor);
    const view = await readerView(this.db, reader, [id]);
    const rows = view.rowsOf(id);
    if (rows.length === 0) throw notFound(`entity ${id}`);
    const [summary] = await this.summaries(view, [id]);
    const docIds = [...new Set(rows.map((r) => r.doc_id))];
    const docs = await this.db
      .selectFrom('sources_documents')
      .select(['id', 'title', 'reliability', 'credibility', 'published_at', 'created_at'])
      .where('id', 'in', docIds)
      .orderBy('created_at')
      .execute();
    const bases = [...new Set(rows.map((r) => r.entity_id))];
    const claims = await this.db
      .selectFrom('sources_claims as c')
      .innerJoin('sources_documents as d', 'd.id', 'c.doc_id')
      .select(['c.doc_id', 'c.text', 'c.pos_start', 'c.pos_end', 'c.speaker', 'd.published_at', 'd.created_at'])
      .where('c.speaker', 'in', bases)
      .where(releasableTo(reader, 'd'))
      .orderBy('d.created_at')
      .limit(500)
      .execute();
    const links = await this.db
      .selectFrom('sources_links')
      .selectAll()
      .where((eb) => eb.or([eb('entity_id', 'in', bases), eb('other_id', 'in', bases)]))
      .where('doc_id', 'in', docIds)
      .execute();
    const edits =
      reader.kind === 'org'
        ? await this.db
            .selectFrom('sources_edits')
            .selectAll()
            .where('org', '=', reader.org)
            .where((eb) => eb.or([eb('entity_id', '=', id), eb('other_id', '=', id), eb('new_id', '=', id)]))
            .orderBy('seq')
            .execute()
        : [];
    const seen = new Map<string, Set<string>>();
    for (const r of rows) seen.set(r.text, (seen.get(r.text) ?? new Set()).add(r.doc_id));
    const sameAs = [];
    for (const l of links) {
      if (
        l.kind === 'same-as'
          ? !bases.includes(l.entity_id)
          : !(bases.includes(l.entity_id) && bases.includes(l.other_id))
      )
        continue;
      const shown = await this.visibleLink(l, rows);
      if (shown) sameAs.push(shown);
    }
    return {
      ...summary!,
      aliasesSeen: [...seen].map(([alias, d]) => ({ alias, documents: [...d] })),
      documents: docs.map((d) => ({ id: d.id, title: d.title, grade: gradeOf(d), publishedAt: d.published_at })),
      claims: claims.map((c) => ({
        speaker: id,
        text: c.text,
        start: c.pos_start,
        end: c.pos_end,
        document: c.doc_id,
        at: c.published_at ?? c.created_at,
      })),
      sameAs,
      edits: edits.map((e) => ({
        op: e.op as 'merge' | 'split' | 'reject',
        by: e.by_user,
        at: e.at,
        alias: e.fold,
        other: e.other_id ?? e.new_id,
      })),
    };
  }

  /** Uncertain candidates whose both sides the reader can see. */
  async review(
    actor: Actor,
  ): Promise<Array<EntityViewT['sameAs'][number] & { entityName: string; otherName: string }>> {
    const reader = readerOf(actor);
    const open = await this.db
      .selectFrom('sources_links as l')
      .innerJoin('sources_documents as d', 'd.id', 'l.doc_id')
      .selectAll('l')
      .where('l.kind', '=', 'candidate')
      .where('l.status', '=', 'open')
      .where(releasableTo(reader, 'd'))
      .orderBy('l.score', 'desc')
      .limit(200)
      .execute();
    const rejected = await this.rejectedPairs(reader);
    const view = await readerView(
      this.db,
      reader,
      open.flatMap((l) => [l.entity_id, l.other_id]),
    );
    const out = [];
    for (const l of open) {
      const a = view.rowsOf(l.entity_id);
      const b = view.rowsOf(l.other_id);
      if (a.length === 0 || b.length === 0) continue;
      if (rejected.has(pairOf(l.entity_id, l.other_id))) continue;
      const shown = await this.visibleLink(l, [...a, ...b]);
      if (!shown) continue;
      out.push({ ...shown, entityName: aliasesOf(a)[0]!, otherName: aliasesOf(b)[0]! });
    }
    return out;
  }

  async merge(actor: UserActor, id: string, other: string): Promise<EntityViewT> {
    this.mayEdit(actor);
    if (id === other) throw validation('other', 'is the entity itself');
    const reader = readerOf(actor);
    await this.visible(reader, id);
    const o = await this.visible(reader, other);
    const k = await this.kindOf(o);
    const kid = await this.kindOf(await this.visible(reader, id));
    if (k !== kid) throw validation('other', `is a ${k}, not a ${kid}`);
    await this.edit(actor, { op: 'merge', entity_id: id, other_id: other, fold: null, new_id: null });
    return this.get(actor, id);
  }

  /**
   * Rejects a proposed same-as candidate for the actor's organisation: both entities stay apart in its view
   * and the candidate leaves its review queue (recorded with who rejected it, as merges and splits are).
   */
  async reject(actor: UserActor, id: string, other: string): Promise<EntityViewT> {
    this.mayEdit(actor);
    if (id === other) throw validation('other', 'is the entity itself');
    const reader = readerOf(actor);
    await this.visible(reader, id);
    await this.visible(reader, other);
    await this.edit(actor, { op: 'reject', entity_id: id, other_id: other, fold: null, new_id: null });
    return this.get(actor, id);
  }

  private async rejectedPairs(reader: Reader): Promise<Set<string>> {
    if (reader.kind !== 'org') return new Set();
    const rows = await this.db
      .selectFrom('sources_edits')
      .select(['entity_id', 'other_id'])
      .where('org', '=', reader.org)
      .where('op', '=', 'reject')
      .execute();
    return new Set(rows.map((r) => pairOf(r.entity_id, r.other_id ?? '')));
  }

  async split(actor: UserActor, id: string, alias: string): Promise<EntityViewT> {
    this.mayEdit(actor);
    const view = await this.visibleView(readerOf(actor), id);
    const f = fold(alias);
    const rows = view.rowsOf(id).filter((r) => r.fold === f);
    if (rows.length === 0) throw validation('alias', `is not an alias of entity ${id}`);
    if (new Set(view.rowsOf(id).map((r) => r.fold)).size === 1) throw validation('alias', "is the entity's only alias");
    const kind = await this.kindOf(rows[0]!.entity_id);
    await this.edit(actor, { op: 'split', entity_id: id, other_id: null, fold: f, new_id: entityIdOf(kind) });
    return this.get(actor, id);
  }

  /**
   * A resolution link as a reader may see it, from its readable mentions `rows`: its two sides are the link's
   * document's mentions of the entity and (for `same-as`) the entity's mentions in the reader's other documents,
   * or (for a candidate) the other entity's. Score and evidence are computed again from those sides alone: the
   * stored ones weighed every document, and quoted names, roles and organisations that only hidden documents
   * hold (issue 12: a reader saw the hidden spelling of a name its own document had matched). A link with a
   * side the reader cannot read is not shown (it would tell that hidden documents name the entity).
   */
  private async visibleLink(
    l: { kind: string; entity_id: string; other_id: string; doc_id: string; status: string },
    rows: readonly PairRow[],
  ): Promise<EntityViewT['sameAs'][number] | undefined> {
    const a = rows.filter((r) => r.entity_id === l.entity_id && r.doc_id === l.doc_id);
    const bEntity = l.kind === 'same-as' ? l.entity_id : l.other_id;
    const b = rows.filter((r) => r.entity_id === bEntity && (l.kind !== 'same-as' || r.doc_id !== l.doc_id));
    if (a.length === 0 || b.length === 0) return undefined;
    const ids = [...new Set([l.entity_id, bEntity])];
    const ents = await this.db
      .selectFrom('sources_entities')
      .select(['id', 'kind', 'gazetteer_key'])
      .where('id', 'in', ids)
      .execute();
    const ctx = await this.db
      .selectFrom('sources_entity_context')
      .selectAll()
      .where('entity_id', 'in', ids)
      .where('doc_id', 'in', [...new Set([...a, ...b].map((r) => r.doc_id))])
      .execute();
    const profile = (entity: string, side: readonly PairRow[]): Profile => {
      const e = ents.find((x) => x.id === entity);
      const docs = new Set(side.map((r) => r.doc_id));
      const roles = new Set<string>();
      const orgs = new Set<string>();
      for (const c of ctx)
        if (c.entity_id === entity && docs.has(c.doc_id)) {
          for (const r of JSON.parse(c.roles) as string[]) roles.add(r);
          for (const o of JSON.parse(c.orgs) as string[]) orgs.add(o);
        }
      return {
        kind: (e?.kind ?? 'person') as EntityKind,
        key: e?.gazetteer_key ?? undefined,
        folds: [...new Set(side.map((r) => r.fold))],
        roles: [...roles],
        orgs: [...orgs],
      };
    };
    const s = score(profile(l.entity_id, a), profile(bEntity, b));
    return {
      entity: l.entity_id,
      other: l.kind === 'same-as' ? [...new Set(a.map((r) => r.fold))].join(' / ') : l.other_id,
      document: l.doc_id,
      score: s.score,
      evidence: s.evidence,
      status: l.status,
    };
  }

  private mayEdit(actor: UserActor): void {
    if (actor.role === 'operator') throw forbidden('operators do not merge or split entities; analysts do');
  }

  private async edit(
    actor: UserActor,
    e: { op: string; entity_id: string; other_id: string | null; fold: string | null; new_id: string | null },
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const seq = await nextEditSeq(trx, actor.org);
      await trx
        .insertInto('sources_edits')
        .values({ ...e, seq, org: actor.org, by_user: actor.userName, at: new Date(this.clock.now()).toISOString() })
        .execute();
    });
  }

  private async visibleView(reader: Reader, id: string): Promise<ReaderView> {
    const view = await readerView(this.db, reader, [id]);
    if (view.rowsOf(id).length === 0) throw notFound(`entity ${id}`);
    return view;
  }

  /** A base entity behind the viewed id (for its kind). */
  private async visible(reader: Reader, id: string): Promise<string> {
    return (await this.visibleView(reader, id)).rowsOf(id)[0]!.entity_id;
  }

  private async kindOf(base: string): Promise<'person' | 'organisation' | 'place'> {
    const k = await this.docs.kinds(this.db, [base]);
    return k.get(base)?.kind ?? 'person';
  }

  private async summaries(view: ReaderView, ids: readonly string[]): Promise<Summary[]> {
    const bases = [...new Set(ids.flatMap((id) => view.rowsOf(id).map((r) => r.entity_id)))];
    const kinds = await this.docs.kinds(this.db, bases);
    return ids
      .map((id) => {
        const rows = view.rowsOf(id);
        if (rows.length === 0) return undefined;
        const aliases = aliasesOf(rows);
        const k = kinds.get(rows[0]!.entity_id);
        return { id, kind: k?.kind ?? 'person', name: k?.name ?? aliases[0]!, aliases };
      })
      .filter((x): x is Summary => x !== undefined);
  }
}
