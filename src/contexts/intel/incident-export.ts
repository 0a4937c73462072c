/**
 * An incident exported for another tool: a STIX 2.1 bundle (the incident's objects with the extension
 * that defines its fields), a MISP event (JSON, as MISP's event import reads it) or CSV (one row per
 * observable or narrative). Built from the version the reader may read (IncidentService.exportOf
 * reads it through the releasability table), so an export holds nothing a reader could not open. Pure.
 */
import { extensionObjects, type Incident } from './incident.ts';

export const EXPORT_FORMATS = ['stix', 'misp', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportFile {
  contentType: string;
  filename: string;
  body: string;
}

/** The STIX bundle of an incident's objects (`objects` as the store holds them) and what they refer to. */
export function stixBundle(objects: readonly Record<string, unknown>[], bundleId: string): Record<string, unknown> {
  return { type: 'bundle', id: bundleId, objects: [...extensionObjects(), ...objects] };
}

/** MISP attribute type and category of an observable (its value normalised as Bulwark stores it). */
export function mispAttribute(type: string, value: string): { type: string; category: string; value: string } {
  const net = 'Network activity';
  switch (type) {
    case 'ipv4-addr':
    case 'ipv6-addr':
      return { type: 'ip-dst', category: net, value };
    case 'domain-name':
      return { type: 'domain', category: net, value };
    case 'url':
      return { type: 'url', category: net, value };
    case 'email-addr':
      return { type: 'email-src', category: 'Payload delivery', value };
    case 'autonomous-system':
      return { type: 'AS', category: net, value };
    case 'user-account':
      return { type: 'target-user', category: 'Targeting data', value };
    case 'file': {
      // stored as "sha-256:<hex>", "md5:<hex>" …; a bare hash is typed by its length
      const [algo, hex] = value.includes(':') ? (value.split(':', 2) as [string, string]) : ['', value];
      const byAlgo: Record<string, string> = { 'sha-256': 'sha256', 'sha-1': 'sha1', 'sha-512': 'sha512', md5: 'md5' };
      const byLength: Record<number, string> = { 32: 'md5', 40: 'sha1', 64: 'sha256', 128: 'sha512' };
      return {
        type: byAlgo[algo.toLowerCase()] ?? byLength[hex.length] ?? 'text',
        category: 'Payload delivery',
        value: hex,
      };
    }
    default:
      return { type: 'text', category: 'Other', value };
  }
}

/** MISP's distribution for a TLP level: 0 your organisation only … 3 all communities. */
const DISTRIBUTION: Record<string, string> = { red: '0', 'amber+strict': '0', amber: '1', green: '2', clear: '3' };

export function mispEvent(inc: Incident): Record<string, unknown> {
  const uuid = inc.id.replace(/^incident--/, '');
  const attributes = [
    ...inc.observables.map((o) => ({ ...mispAttribute(o.type, o.value), to_ids: o.type !== 'user-account' })),
    ...inc.narratives.map((n) => ({ type: 'text', category: 'Other', value: n, comment: 'narrative', to_ids: false })),
  ];
  return {
    Event: {
      uuid,
      info: inc.title,
      date: inc.occurredAt.slice(0, 10),
      timestamp: String(Math.floor(Date.parse(inc.modified) / 1000)),
      threat_level_id: '2',
      analysis: '2',
      distribution: DISTRIBUTION[inc.tlp] ?? '0',
      Orgc: { name: inc.author },
      Tag: [
        { name: `tlp:${inc.tlp}` },
        { name: `bulwark:category="${inc.category}"` },
        ...inc.affectedMembers.map((m) => ({ name: `bulwark:affected-member="${m}"` })),
        ...inc.audience.map((m) => ({ name: `bulwark:audience="${m}"` })),
      ],
      Attribute: [
        ...(inc.description
          ? [{ type: 'comment', category: 'Other', value: inc.description, comment: 'description', to_ids: false }]
          : []),
        ...attributes,
      ],
    },
  };
}

/** A CSV cell: quoted, quotes doubled, and a leading = + - @ defused so no spreadsheet runs it. */
export function csvCell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function incidentCsv(inc: Incident): string {
  const head = [
    'incident_id',
    'title',
    'category',
    'occurred_at',
    'tlp',
    'author',
    'affected_members',
    'type',
    'value',
  ];
  const common = [inc.id, inc.title, inc.category, inc.occurredAt, inc.tlp, inc.author, inc.affectedMembers.join(' ')];
  const rows = [
    ...inc.observables.map((o) => [...common, o.type, o.value]),
    ...inc.narratives.map((n) => [...common, 'narrative', n]),
  ];
  if (rows.length === 0) rows.push([...common, '', '']);
  return [head, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** A file name from the title: letters, digits and dashes only. */
export function exportName(inc: Incident, ext: string): string {
  const slug =
    inc.title
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'incident';
  return `${slug}.${ext}`;
}
