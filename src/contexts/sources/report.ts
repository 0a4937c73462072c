/**
 * A document as STIX 2.1 for TAXII: a `report` whose object_refs are one `identity` per person or organisation
 * and one `location` per place it names (places a gazetteer knows as a state carry its country code), plus an
 * identity for the source. Their ids are derived from the document and the resolved entity, so a document's
 * objects go with it when it is deleted. The grade, language and resolved entity ids travel in Bulwark's
 * published property extension (SOURCES_EXTENSION_ID).
 */
import { createHash } from 'node:crypto';
import { BULWARK_IDENTITY_ID } from '../sharing/identity.ts';
import { TLP2_MARKING_IDS } from '../../kernel/access/tlp.ts';

export const SOURCES_EXTENSION_ID = 'extension-definition--5d1f3c2b-8a4e-4c6f-9b7d-2e0a1c3b5d7f';
const DEFINED_AT = '2026-12-01T00:00:00.000Z';

/** A UUID-shaped id derived from its parts (SHA-256, version nibble 5, RFC 4122 variant). */
export function derivedId(type: string, ...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const v = `5${h.slice(13, 16)}`;
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16) + h.slice(17, 20);
  return `${type}--${h.slice(0, 8)}-${h.slice(8, 12)}-${v}-${variant}-${h.slice(20, 32)}`;
}

export interface ReportInput {
  id: string;
  created: string;
  title: string | null;
  text: string;
  publishedAt: string | null;
  grade: string;
  language: string;
  sourceName: string | null;
  url: string | null;
  entities: Array<{ id: string; kind: 'person' | 'organisation' | 'place'; name: string; country?: string }>;
}

export function reportObjects(d: ReportInput): Record<string, unknown>[] {
  const common = { spec_version: '2.1', created: d.created, modified: d.created };
  const source = {
    type: 'identity',
    ...common,
    id: derivedId('identity', d.id, 'source'),
    name: d.sourceName ?? 'Unattributed source',
    identity_class: 'organization',
  };
  const refs: Record<string, unknown>[] = [source];
  for (const e of d.entities) {
    if (e.kind === 'place') {
      if (!e.country) continue; // a STIX location needs a country, region or coordinates
      refs.push({
        type: 'location',
        ...common,
        id: derivedId('location', d.id, e.id),
        name: e.name,
        country: e.country,
      });
    } else
      refs.push({
        type: 'identity',
        ...common,
        id: derivedId('identity', d.id, e.id),
        name: e.name,
        identity_class: e.kind === 'person' ? 'individual' : 'organization',
      });
  }
  const report = {
    type: 'report',
    ...common,
    id: d.id,
    name: d.title ?? d.text.slice(0, 80),
    description: d.text,
    published: d.publishedAt ?? d.created,
    report_types: ['threat-report'],
    object_refs: refs.map((r) => r.id),
    ...(d.url ? { external_references: [{ source_name: d.sourceName ?? 'source', url: d.url }] } : {}),
    extensions: {
      [SOURCES_EXTENSION_ID]: {
        extension_type: 'property-extension',
        grade: d.grade,
        language: d.language,
        entities: Object.fromEntries(
          d.entities.map((e) => [
            e.kind === 'place' ? derivedId('location', d.id, e.id) : derivedId('identity', d.id, e.id),
            e.id,
          ]),
        ),
      },
    },
  };
  return [...refs, report];
}

/** The published definition of the extension, authored by the system and readable by everyone. */
export function sourcesExtensionObjects(): Record<string, unknown>[] {
  return [
    {
      type: 'extension-definition',
      spec_version: '2.1',
      id: SOURCES_EXTENSION_ID,
      created_by_ref: BULWARK_IDENTITY_ID,
      created: DEFINED_AT,
      modified: DEFINED_AT,
      name: 'Bulwark open-source document',
      version: '1.0.0',
      extension_types: ['property-extension'],
      object_marking_refs: [TLP2_MARKING_IDS.clear],
      description: 'Grading and resolution of an open-source document reported by an alliance member.',
      schema:
        'Properties of the report extension: grade (NATO Admiralty code, source reliability A-F and information credibility 1-6, e.g. "B2"); language (ISO 639-1, else 639-3, or "und"); entities (object mapping each referenced identity or location id to the id of the resolved Bulwark entity). Documented in docs/sources.md of the Bulwark project.',
    },
  ];
}
