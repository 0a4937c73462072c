import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { canRead, decodeAudience, encodeAudience } from '../../kernel/access/releasability.ts';
import { releasableTo } from '../../kernel/access/releasability.sql.ts';
import { readerOf, type Actor, type UserActor } from '../../kernel/access/actor.ts';
import type { Tlp } from '../../kernel/access/tlp.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Schema } from '../../platform/db/schema.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import { appendToOutbox, type EventNotifier } from '../../platform/events/outbox.ts';
import { assertAudience } from '../sharing/audience.service.ts';
import { bandKeys, decodeSignature, encodeSignature, minhash, similarity } from '../intel/fingerprint.ts';
import { extract } from './extract.ts';
import type { Gazetteer } from './gazetteer.ts';
import { grade, type Credibility, type Reliability } from './grade.ts';
import { storeExtraction } from './resolution.service.ts';
import { aliasesOf, readerView } from './entity-view.service.ts';
import { sweep } from './sources.repository.ts';
import { sourcesDb, type Exec, type SourcesDb, type SourcesTables } from './sources.tables.ts';
import { checkText, detectLanguage, htmlToText } from './text.ts';
import type { CreateDocumentInput, DocumentSummaryT, DocumentViewT } from './sources.schema.ts';
import { candidateKeys } from './resolve.ts';
import type { KnowledgeService } from '../knowledge/knowledge.service.ts';
import { ingestOwned } from '../knowledge/owned-types.service.ts';
import { systemActor } from '../../kernel/access/actor.ts';
import { derivedId, reportObjects } from './report.ts';

type DocRow = SourcesTables['sources_documents'];

export interface DocumentDeps {
  db: Kysely<Schema>;
  /** The STIX store: each document is also a TAXII `report` with its identities and locations. */
  knowledge: KnowledgeService;
  clock: Clock;
  notifier: EventNotifier;
  gazetteer: () => Gazetteer;
}

/** Documents: stored text, its extraction resolved into the shared entities, the `document.created` event. */
export class DocumentService {
  readonly db: Kysely<SourcesDb>;
  constructor(private readonly d: DocumentDeps) {
    this.db = sourcesDb(d.db);
  }

  async create(actor: UserActor, input: CreateDocumentInput): Promise<DocumentViewT> {
    const id = await this.store({ org: actor.org, by: actor.userId }, input);
    return this.get(actor, id);
  }

  /**
   * Stores a document for an organisation (`by` is the user, or the system actor polling a feed) and answers
   * its id; `source` must be one of that organisation's sources.
   */
  async store(author: { org: string; by: string }, input: CreateDocumentInput): Promise<string> {
    const source = input.source ? await this.ownSource(author.org, input.source) : undefined;
    await assertAudience(this.d.db, input.audience);
    let text: string;
    let title = input.title;
    if (input.html !== undefined) {
      const page = htmlToText('html', input.html);
      text = page.text;
      title ??= page.title;
    } else {
      text = input.text ?? '';
      checkText('text', text);
    }
    const extraction = extract(text, this.d.gazetteer());
    const now = new Date(this.d.clock.now()).toISOString();
    const id = `report--${randomUUID()}`;
    const row: DocRow = {
      id,
      author: author.org,
      source_id: source?.id ?? null,
      title: title ?? null,
      url: input.url ?? null,
      published_at: input.publishedAt ? new Date(input.publishedAt).toISOString() : null,
      text,
      language: detectLanguage(text),
      reliability: source?.reliability ?? null,
      credibility: input.credibility ?? null,
      tlp: input.tlp,
      audience: encodeAudience(input.audience ?? []),
      created_by: author.by,
      created_at: now,
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('sources_documents').values(row).execute();
      const sig = minhash(text);
      if (sig) {
        const signature = encodeSignature(sig);
        await trx
          .insertInto('sources_doc_bands')
          .values(bandKeys(sig).map((band) => ({ band, doc_id: id, signature })))
          .execute();
      }
      const ids = await storeExtraction(trx, id, extraction, now);
      await this.exportReport(trx as unknown as Transaction<Schema>, row, extraction, ids, source?.name ?? null);
      await appendToOutbox(
        trx as unknown as Transaction<Schema>, // the same transaction, typed with the shared tables only
        [
          {
            event: 'document.created',
            objectId: id,
            author: author.org,
            tlp: input.tlp,
            audience: input.audience ?? [],
            payload: { title: row.title, grade: gradeOf(row), source: row.source_id },
          },
        ],
        now,
      );
    });
    this.d.notifier.nudge();
    return id;
  }

  /** A stored document of the same source whose text is nearly the same (MinHash estimate of Jaccard >= 0.8). */
  async nearDuplicate(sourceId: string, text: string): Promise<string | undefined> {
    const sig = minhash(text);
    if (!sig) return undefined;
    const rows = await this.db
      .selectFrom('sources_doc_bands as b')
      .innerJoin('sources_documents as d', 'd.id', 'b.doc_id')
      .select(['b.doc_id', 'b.signature'])
      .distinct()
      .where('b.band', 'in', bandKeys(sig))
      .where('d.source_id', '=', sourceId)
      .limit(50)
      .execute();
    for (const r of rows) {
      const other = decodeSignature(r.signature);
      if (other && similarity(sig, other) >= 0.8) return r.doc_id;
    }
    return undefined;
  }

  async get(actor: Actor, id: string): Promise<DocumentViewT> {
    const row = await this.readable(this.db, actor, id);
    const mentions = await this.db
      .selectFrom('sources_mentions')
      .selectAll()
      .where('doc_id', '=', id)
      .orderBy('pos_start')
      .execute();
    const claims = await this.db
      .selectFrom('sources_claims')
      .selectAll()
      .where('doc_id', '=', id)
      .orderBy('pos_start')
      .execute();
    const view = await readerView(this.db, readerOf(actor), [...new Set(mentions.map((m) => m.entity_id))]);
    const kinds = await this.kinds(this.db, [...new Set(mentions.map((m) => m.entity_id))]);
    const entities = new Map<string, DocumentViewT['entities'][number]>();
    for (const m of mentions) {
      const vid = view.viewOf(m.entity_id, m.fold);
      let e = entities.get(vid);
      if (!e) {
        const aliases = aliasesOf(view.rowsOf(vid));
        const k = kinds.get(m.entity_id);
        e = { id: vid, kind: k?.kind ?? 'person', name: k?.name ?? aliases[0] ?? m.text, aliases, mentions: [] };
        entities.set(vid, e);
      }
      e.mentions.push({ text: m.text, start: m.pos_start, end: m.pos_end });
    }
    const speakerView = (speaker: string | null) => {
      if (speaker === null) return null;
      const m = mentions.find((x) => x.entity_id === speaker);
      return m ? view.viewOf(speaker, m.fold) : speaker;
    };
    return {
      ...summaryOf(row),
      url: row.url,
      text: row.text,
      tlp: row.tlp as Tlp,
      audience: decodeAudience(row.audience),
      entities: [...entities.values()],
      claims: claims.map((c) => ({
        speaker: speakerView(c.speaker),
        text: c.text,
        start: c.pos_start,
        end: c.pos_end,
      })),
    };
  }

  async list(
    actor: Actor,
    q: { limit: number; cursor?: string | undefined },
  ): Promise<{ items: DocumentSummaryT[]; next: string | null }> {
    const [at, id] = q.cursor ? decodeCursor(q.cursor) : [undefined, undefined];
    let query = this.db
      .selectFrom('sources_documents')
      .select([
        'id',
        'author',
        'source_id',
        'title',
        'published_at',
        'reliability',
        'credibility',
        'language',
        'created_at',
      ])
      .where(releasableTo(readerOf(actor)))
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(q.limit + 1);
    if (at !== undefined && id !== undefined)
      query = query.where((eb) =>
        eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', id)])]),
      );
    const rows = await query.execute();
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => summaryOf(r)),
      next: rows.length > q.limit && last ? encodeCursor(last.created_at, last.id) : null,
    };
  }

  /** Its author deletes a document; entities, aliases, mentions and claims only it supported go with it. */
  async delete(actor: UserActor, id: string): Promise<void> {
    const stix: string[] = [id, derivedId('identity', id, 'source')];
    await this.db.transaction().execute(async (trx) => {
      const row = await this.readable(trx, actor, id);
      if (row.author !== actor.org)
        throw forbidden(`only the author organisation (${row.author}) may delete this document`);
      const mentions = await trx
        .selectFrom('sources_mentions')
        .select(['entity_id', 'fold'])
        .where('doc_id', '=', id)
        .execute();
      for (const t of [
        'sources_mentions',
        'sources_claims',
        'sources_links',
        'sources_doc_bands',
        'sources_entity_context',
        'sources_signpost_links',
      ] as const)
        await trx.deleteFrom(t).where('doc_id', '=', id).execute();
      await trx.updateTable('sources_feed_items').set({ doc_id: null }).where('doc_id', '=', id).execute();
      await trx.deleteFrom('sources_documents').where('id', '=', id).execute();
      const entities = [...new Set(mentions.map((m) => m.entity_id))];
      for (const e of entities) stix.push(derivedId('identity', id, e), derivedId('location', id, e));
      await sweep(trx, entities, [...new Set(mentions.map((m) => m.fold))]);
      await rebuildKeys(trx, entities);
    });
    // The STIX objects go after the document's rows committed (the store deletes in its own transaction).
    await this.d.knowledge.remove(actor, {
      reader: readerOf(actor),
      scope: { kind: 'author', org: actor.org },
      ids: stix,
      versions: ['all'],
    });
  }

  /** The document's row when the actor may read it, else "not found". */
  async readableRow(actor: Actor, id: string): Promise<DocRow> {
    return this.readable(this.db, actor, id);
  }

  private async readable(x: Exec, actor: Actor, id: string): Promise<DocRow> {
    const row = await x.selectFrom('sources_documents').selectAll().where('id', '=', id).executeTakeFirst();
    if (
      !row ||
      !canRead(readerOf(actor), { author: row.author, tlp: row.tlp as Tlp, audience: decodeAudience(row.audience) })
    )
      throw notFound(`document ${id}`);
    return row;
  }

  /** Writes the document's STIX objects in the same transaction (TAXII reads them with the document's release). */
  private async exportReport(
    trx: Transaction<Schema>,
    row: DocRow,
    ex: ReturnType<typeof extract>,
    ids: readonly string[],
    sourceName: string | null,
  ): Promise<void> {
    const g = this.d.gazetteer();
    const seen = new Set<string>();
    const entities = ex.entities.flatMap((e, i) => {
      const id = ids[i]!;
      if (seen.has(id)) return [];
      seen.add(id);
      const country = e.key ? g.byKey.get(e.key)?.country : undefined;
      return [{ id, kind: e.kind, name: e.name, ...(country ? { country } : {}) }];
    });
    const objects = reportObjects({
      id: row.id,
      created: row.created_at,
      title: row.title,
      text: row.text,
      publishedAt: row.published_at,
      grade: gradeOf(row),
      language: row.language,
      sourceName,
      url: row.url,
      entities,
    });
    const audience = decodeAudience(row.audience);
    const report = await ingestOwned(
      this.d.knowledge,
      trx,
      systemActor('sources'),
      objects.map((value, index) => ({ index, value })),
      { defaultTlp: row.tlp as Tlp, audience, asOrg: row.author },
    );
    if (report.rejected.length > 0)
      throw new Error(`the document's STIX objects were refused: ${JSON.stringify(report.rejected).slice(0, 500)}`);
  }

  private async ownSource(org: string, id: string): Promise<{ id: string; reliability: string; name: string }> {
    const s = await this.db
      .selectFrom('sources_sources')
      .select(['id', 'reliability', 'author', 'name'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!s || s.author !== org) throw notFound(`source ${id}`);
    return s;
  }

  async kinds(
    x: Exec,
    ids: readonly string[],
  ): Promise<Map<string, { kind: 'person' | 'organisation' | 'place'; name?: string }>> {
    const out = new Map<string, { kind: 'person' | 'organisation' | 'place'; name?: string }>();
    if (ids.length === 0) return out;
    const g = this.d.gazetteer();
    for (const e of await x
      .selectFrom('sources_entities')
      .select(['id', 'kind', 'gazetteer_key'])
      .where('id', 'in', [...ids])
      .execute()) {
      const name = e.gazetteer_key ? g.byKey.get(e.gazetteer_key)?.name : undefined;
      out.set(e.id, { kind: e.kind as 'person' | 'organisation' | 'place', ...(name ? { name } : {}) });
    }
    return out;
  }
}

/** Candidate keys follow the folds that remain after a document went. */
async function rebuildKeys(x: Exec, entities: readonly string[]): Promise<void> {
  for (const id of entities) {
    const e = await x.selectFrom('sources_entities').selectAll().where('id', '=', id).executeTakeFirst();
    if (!e) continue;
    const folds = (
      await x.selectFrom('sources_mentions').select('fold').distinct().where('entity_id', '=', id).execute()
    ).map((r) => r.fold);
    await x.deleteFrom('sources_entity_keys').where('entity_id', '=', id).execute();
    const keys = candidateKeys({ kind: e.kind as 'person', key: e.gazetteer_key ?? undefined, folds });
    if (keys.length > 0)
      await x
        .insertInto('sources_entity_keys')
        .values(keys.map((key) => ({ key, entity_id: id })))
        .execute();
  }
}

export function gradeOf(r: Pick<DocRow, 'reliability' | 'credibility'>): string {
  return grade(r.reliability as Reliability | null, r.credibility as Credibility | null);
}

function summaryOf(
  r: Pick<
    DocRow,
    'id' | 'author' | 'source_id' | 'title' | 'published_at' | 'reliability' | 'credibility' | 'language' | 'created_at'
  >,
): DocumentSummaryT {
  return {
    id: r.id,
    title: r.title,
    source: r.source_id,
    publishedAt: r.published_at,
    grade: gradeOf(r),
    language: r.language,
    author: r.author,
    createdAt: r.created_at,
  };
}

function encodeCursor(at: string, id: string): string {
  return Buffer.from(JSON.stringify([at, id])).toString('base64url');
}

function decodeCursor(c: string): [string | undefined, string | undefined] {
  try {
    const v: unknown = JSON.parse(Buffer.from(c, 'base64url').toString());
    if (Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'string') return [v[0], v[1]];
  } catch {
    // an unreadable cursor starts from the top
  }
  return [undefined, undefined];
}
