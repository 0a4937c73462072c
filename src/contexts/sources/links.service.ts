import type { Kysely } from 'kysely';
import { readerOf, type Actor } from '../../kernel/access/actor.ts';
import { canRead, decodeAudience, type Reader } from '../../kernel/access/releasability.ts';
import { releasableTo } from '../../kernel/access/releasability.sql.ts';
import type { Tlp } from '../../kernel/access/tlp.ts';
import { notFound } from '../../platform/errors.ts';
import { bandKeys, decodeSignature, minhash, NARRATIVE_THRESHOLD, similarity } from '../intel/fingerprint.ts';
import { INCIDENT_EXTENSION_ID } from '../intel/incident.ts';
import type { Gazetteer } from './gazetteer.ts';
import type { SourcesDb } from './sources.tables.ts';

/** Days between a document and an incident within which a shared state counts as reporting it. */
export const WINDOW_DAYS = 7;

export interface Echo {
  incident: string;
  narrative: string;
  claim: string;
  score: number;
}
export interface Reported {
  incident: string;
  title: string;
  reasons: string[];
}

/**
 * Links between documents and intel's incidents, computed when read (so they follow every write and deletion),
 * each side through the reader's releasability: a claim that echoes an incident's narrative (MinHash, as
 * narratives are correlated), and a document naming an affected member state within a week of the incident.
 */
export class LinksService {
  constructor(
    private readonly db: Kysely<SourcesDb>,
    private readonly gazetteer: () => Gazetteer,
  ) {}

  async ofDocument(actor: Actor, docId: string): Promise<{ echoes: Echo[]; reports: Reported[] }> {
    const reader = readerOf(actor);
    const doc = await this.db.selectFrom('sources_documents').selectAll().where('id', '=', docId).executeTakeFirst();
    if (!doc || !canRead(reader, { author: doc.author, tlp: doc.tlp as Tlp, audience: decodeAudience(doc.audience) }))
      throw notFound(`document ${docId}`);
    const claims = await this.db.selectFrom('sources_claims').select('text').where('doc_id', '=', docId).execute();
    const found: Array<Omit<Echo, 'narrative'> & { idx: number }> = [];
    for (const c of claims) {
      const sig = minhash(c.text);
      if (!sig) continue;
      const rows = await this.db
        .selectFrom('intel_bands as b')
        .innerJoin('intel_narratives as n', 'n.incident_id', 'b.incident_id')
        .innerJoin('intel_incidents as i', 'i.id', 'b.incident_id')
        .select(['n.incident_id', 'n.idx', 'n.signature'])
        .distinct()
        .where('b.band_key', 'in', bandKeys(sig))
        .where(releasableTo(reader, 'i'))
        .limit(200)
        .execute();
      for (const r of rows) {
        const other = decodeSignature(r.signature);
        const score = other ? similarity(sig, other) : 0;
        if (score >= NARRATIVE_THRESHOLD) found.push({ incident: r.incident_id, idx: r.idx, claim: c.text, score });
      }
    }
    const texts = await this.narratives(reader, [...new Set(found.map((f) => f.incident))]);
    // An incident narrowed since it was found is left out with its words.
    const echoes: Echo[] = found
      .filter((f) => texts.has(f.incident))
      .map(({ idx, ...f }) => ({ ...f, narrative: texts.get(f.incident)![idx] ?? '' }));
    const states = await this.statesOf(docId);
    const at = Date.parse(doc.published_at ?? doc.created_at);
    const day = 86_400_000;
    const reports: Reported[] = [];
    if (states.size > 0) {
      const rows = await this.db
        .selectFrom('intel_incident_members as m')
        .innerJoin('intel_incidents as i', 'i.id', 'm.incident_id')
        .select(['i.id', 'i.title', 'm.member'])
        .where('m.member', 'in', [...states])
        .where('i.occurred_at', '>=', new Date(at - WINDOW_DAYS * day).toISOString())
        .where('i.occurred_at', '<=', new Date(at + WINDOW_DAYS * day).toISOString())
        .where(releasableTo(reader, 'i'))
        .limit(200)
        .execute();
      const byId = new Map<string, Reported>();
      for (const r of rows) {
        const x = byId.get(r.id) ?? { incident: r.id, title: r.title, reasons: [] };
        x.reasons.push(`names ${r.member}, an affected member, within ${WINDOW_DAYS} days`);
        byId.set(r.id, x);
      }
      reports.push(...byId.values());
    }
    return { echoes, reports };
  }

  /** Readable documents linked to an incident the reader may read (the other side of `ofDocument`). */
  async ofIncident(
    actor: Actor,
    incidentId: string,
  ): Promise<Array<{ document: string; title: string | null; reasons: string[] }>> {
    const reader = readerOf(actor);
    const inc = await this.db
      .selectFrom('intel_incidents')
      .select(['id', 'occurred_at'])
      .where('id', '=', incidentId)
      .where(releasableTo(reader))
      .executeTakeFirst();
    if (!inc) throw notFound(`incident ${incidentId}`);
    const at = Date.parse(inc.occurred_at);
    const day = 86_400_000;
    // Candidate documents: readable, and within a month of the incident (bounded).
    const docs = await this.db
      .selectFrom('sources_documents')
      .select(['id', 'title'])
      .where(releasableTo(reader))
      .where('created_at', '>=', new Date(at - 30 * day).toISOString())
      .orderBy('created_at', 'desc')
      .limit(500)
      .execute();
    const out = [];
    for (const d of docs) {
      const l = await this.ofDocument(actor, d.id);
      const reasons = [
        ...l.echoes
          .filter((e) => e.incident === incidentId)
          .map((e) => `a claim echoes the narrative "${e.narrative.slice(0, 80)}"`),
        ...l.reports.filter((r) => r.incident === incidentId).flatMap((r) => r.reasons),
      ];
      if (reasons.length > 0) out.push({ document: d.id, title: d.title, reasons });
    }
    return out;
  }

  /**
   * The narratives of incidents the reader may read, from their latest version (the index keeps only their
   * fingerprints). Checked again here, in the statement that reads the text: a narrowing committed since the
   * incidents were found must not show the new version's words.
   */
  private async narratives(reader: Reader, ids: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db
        .selectFrom('objects as o')
        .innerJoin('intel_incidents as i', (j) => j.onRef('i.id', '=', 'o.id').onRef('i.author', '=', 'o.author'))
        .select(['o.id', 'o.json'])
        .where('o.id', 'in', ids.slice(i, i + 500))
        .where('o.is_latest', '=', 1)
        .where(releasableTo(reader, 'i'))
        .execute();
      for (const r of rows) {
        const obj = JSON.parse(r.json) as { extensions?: Record<string, { narratives?: unknown }> };
        const list = obj.extensions?.[INCIDENT_EXTENSION_ID]?.narratives;
        if (Array.isArray(list))
          out.set(
            r.id,
            list.map((n) => (typeof n === 'string' ? n : '')),
          );
      }
    }
    return out;
  }

  private async statesOf(docId: string): Promise<Set<string>> {
    const g = this.gazetteer();
    const rows = await this.db
      .selectFrom('sources_mentions as m')
      .innerJoin('sources_entities as e', 'e.id', 'm.entity_id')
      .select('e.gazetteer_key')
      .distinct()
      .where('m.doc_id', '=', docId)
      .where('e.kind', '=', 'place')
      .execute();
    const out = new Set<string>();
    for (const r of rows) {
      const c = r.gazetteer_key ? g.byKey.get(r.gazetteer_key)?.country : undefined;
      if (c) out.add(c);
    }
    return out;
  }
}
