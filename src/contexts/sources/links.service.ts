import type { Kysely } from 'kysely';
import { readerOf, type Actor } from '../../kernel/access/actor.ts';
import { canRead, decodeAudience } from '../../kernel/access/releasability.ts';
import { releasableTo } from '../../kernel/access/releasability.sql.ts';
import type { Tlp } from '../../kernel/access/tlp.ts';
import { notFound } from '../../platform/errors.ts';
import { bandKeys, decodeSignature, minhash, NARRATIVE_THRESHOLD, similarity } from '../intel/fingerprint.ts';
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
    const echoes: Echo[] = [];
    for (const c of claims) {
      const sig = minhash(c.text);
      if (!sig) continue;
      const rows = await this.db
        .selectFrom('intel_bands as b')
        .innerJoin('intel_narratives as n', 'n.incident_id', 'b.incident_id')
        .innerJoin('intel_incidents as i', 'i.id', 'b.incident_id')
        .select(['n.incident_id', 'n.text', 'n.signature'])
        .distinct()
        .where('b.band_key', 'in', bandKeys(sig))
        .where(releasableTo(reader, 'i'))
        .limit(200)
        .execute();
      for (const r of rows) {
        const other = decodeSignature(r.signature);
        const score = other ? similarity(sig, other) : 0;
        if (score >= NARRATIVE_THRESHOLD)
          echoes.push({ incident: r.incident_id, narrative: r.text, claim: c.text, score });
      }
    }
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
