/**
 * Hybrid-threat incidents as STIX 2.1: an `incident` SDO carrying Bulwark's fields in a published
 * property extension, SCOs for observables, a `location`, and relationships to attack patterns and
 * the attributed threat actor or intrusion set. Pure: ids and time come in as values.
 */
import { nameUuid } from '../stix/stix.ts';
import { encodeAudience } from '../../kernel/access/releasability.ts';
import { TLP2_MARKING_IDS, type Tlp } from '../../kernel/access/tlp.ts';
import { BULWARK_IDENTITY_ID } from '../sharing/identity.ts';
import type { ObservableType } from './observable.ts';

export const CATEGORIES = [
  'disinformation',
  'cyber',
  'economic-pressure',
  'covert-support',
  'sabotage',
  'airspace-violation',
  'migration-pressure',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];
export const RELIABILITY = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export type Reliability = (typeof RELIABILITY)[number];
export type ActorKind = 'threat-actor' | 'intrusion-set';

/** Bulwark's identity (creator of the extension definition) and the extension's fixed ids. */
export { BULWARK_IDENTITY_ID } from '../sharing/identity.ts';
export const INCIDENT_EXTENSION_ID = 'extension-definition--b7d3c1a2-4e5f-4a6b-8c9d-0e1f2a3b4c5d';
const DEFINED_AT = '2026-01-01T00:00:00.000Z';

/** The objects that publish the extension; stored once, TLP:CLEAR. */
export function extensionObjects(): Record<string, unknown>[] {
  const clear = [TLP2_MARKING_IDS.clear];
  return [
    {
      type: 'identity',
      spec_version: '2.1',
      id: BULWARK_IDENTITY_ID,
      created: DEFINED_AT,
      modified: DEFINED_AT,
      name: 'Bulwark',
      identity_class: 'system',
      object_marking_refs: clear,
    },
    {
      type: 'extension-definition',
      spec_version: '2.1',
      id: INCIDENT_EXTENSION_ID,
      created_by_ref: BULWARK_IDENTITY_ID,
      created: DEFINED_AT,
      modified: DEFINED_AT,
      name: 'Bulwark hybrid-threat incident',
      version: '1.0.0',
      extension_types: ['property-extension'],
      object_marking_refs: clear,
      description:
        'Hybrid-threat incident fields shared between alliance members: category, occurrence time and place, affected members, observables, narratives, techniques, attributed actor and the source grading on the admiralty scale.',
      schema:
        'Properties of the incident SDO extension: category (one of disinformation, cyber, economic-pressure, covert-support, sabotage, airspace-violation, migration-pressure, other); occurred_at (timestamp); affected_members (array of ISO 3166 alpha-2 codes); location ({latitude, longitude}, optional); observables (array of {type, value} as reported); narratives (array of strings, the claims spread); ttps (array of attack-pattern ids); actor ({name, kind: threat-actor|intrusion-set}, optional); source_reliability (A-F) and information_credibility (1-6) on the admiralty scale, optional; audience (array of organisation codes) when the report is restricted to named readers. Documented in docs/intel.md of the Bulwark project.',
    },
  ];
}

export interface ObservableInput {
  type: ObservableType;
  value: string;
}

export interface IncidentFields {
  title: string;
  description: string;
  category: Category;
  occurredAt: string;
  location: { lat: number; lon: number } | null;
  affectedMembers: string[];
  observables: ObservableInput[];
  narratives: string[];
  ttps: string[];
  actor: { name: string; kind: ActorKind } | null;
  reliability: Reliability | null;
  credibility: number | null;
  tlp: Tlp;
  audience: string[];
}

/** An incident as the API presents it (one STIX version). */
export interface Incident extends IncidentFields {
  id: string;
  author: string;
  created: string;
  modified: string;
}

/** Milliseconds-precision UTC timestamp (the OASIS schemas require it). */
export function stixTime(d: Date): string {
  return d.toISOString();
}

/** The `modified` of a new version: now, or 1 ms after `prev` when the clock has not moved past it. */
export function nextModified(now: Date, prev: string): string {
  const t = stixTime(now);
  return t > prev ? t : stixTime(new Date(Date.parse(prev) + 1));
}

const SCO_PROPERTY: Partial<Record<ObservableType, string>> = { 'autonomous-system': 'number' };

function scoOf(o: ObservableInput & { norm: string }, id: string, marking: string[]): Record<string, unknown> {
  const base = { type: o.type, spec_version: '2.1', id, object_marking_refs: marking };
  if (o.type === 'file') {
    const [algo, hex] = o.norm.split(':');
    const key = algo === 'sha-256' ? 'SHA-256' : algo === 'sha-1' ? 'SHA-1' : algo === 'sha-512' ? 'SHA-512' : 'MD5';
    return { ...base, hashes: { [key]: hex } };
  }
  if (o.type === 'user-account') return { ...base, account_login: o.norm };
  if (o.type === 'autonomous-system') return { ...base, [SCO_PROPERTY[o.type]!]: Number(o.norm) };
  return { ...base, value: o.norm };
}

export interface BundlePlan {
  objects: Record<string, unknown>[];
}

/**
 * A child object (location, actor, relationship) of an incident: `key` says what it stands for, with
 * the releasability, so a changed TLP/audience never reuses an object stored under another; `legacy`
 * is the name-based id such a child had before ids were random (children stored then keep it).
 */
export interface ChildKey {
  type: string;
  key: string;
  legacy: string;
}

/** The id of each child key (random for new keys; see ChildIds). */
export type ChildIdOf = (c: ChildKey) => string;

/** The keys of the children one incident version has (SCOs aside, whose ids are derived by STIX rules). */
export function childKeys(inc: Incident, normalised: ReadonlyArray<ObservableInput & { norm: string }>): ChildKey[] {
  const keys: ChildKey[] = [];
  buildChildren(inc, normalised, (c) => {
    keys.push(c);
    return c.legacy;
  });
  return keys;
}

/**
 * The STIX objects of one incident version. Children keep their ids from version to version (given by
 * `idOf`), so an unchanged child is a duplicate on the next version. Children of `previous` that the
 * new version drops are revoked.
 */
export function incidentObjects(
  inc: Incident,
  normalised: ReadonlyArray<ObservableInput & { norm: string }>,
  idOf: ChildIdOf,
  previous?: { incident: Incident; normalised: ReadonlyArray<ObservableInput & { norm: string }> },
): BundlePlan {
  const now = buildChildren(inc, normalised, idOf);
  const objects: Record<string, unknown>[] = [incidentSdo(inc)];
  const seen = new Set<string>();
  for (const c of now) {
    if (seen.has(c.id as string)) continue;
    seen.add(c.id as string);
    objects.push(c);
  }
  if (previous) {
    for (const c of buildChildren(previous.incident, previous.normalised, idOf)) {
      if (seen.has(c.id as string) || c.modified === undefined) continue;
      seen.add(c.id as string);
      objects.push({ ...c, modified: inc.modified, revoked: true });
    }
  }
  return { objects };
}

function incidentSdo(inc: Incident): Record<string, unknown> {
  const ext: Record<string, unknown> = {
    extension_type: 'property-extension',
    category: inc.category,
    occurred_at: inc.occurredAt,
    affected_members: inc.affectedMembers,
    observables: inc.observables,
    narratives: inc.narratives,
    ttps: inc.ttps,
  };
  if (inc.location) ext.location = { latitude: inc.location.lat, longitude: inc.location.lon };
  if (inc.actor) ext.actor = inc.actor;
  if (inc.reliability) ext.source_reliability = inc.reliability;
  if (inc.credibility !== null) ext.information_credibility = inc.credibility;
  if (inc.audience.length > 0) ext.audience = inc.audience;
  return {
    type: 'incident',
    spec_version: '2.1',
    id: inc.id,
    created: inc.created,
    modified: inc.modified,
    name: inc.title,
    description: inc.description,
    labels: [inc.category],
    object_marking_refs: [TLP2_MARKING_IDS[inc.tlp]],
    extensions: { [INCIDENT_EXTENSION_ID]: ext },
  };
}

function buildChildren(
  inc: Incident,
  normalised: ReadonlyArray<ObservableInput & { norm: string }>,
  idOf: ChildIdOf,
): Record<string, unknown>[] {
  const marking = [TLP2_MARKING_IDS[inc.tlp]];
  const release = `${inc.tlp}|${encodeAudience(inc.audience)}`;
  const seed = `${inc.id}|${release}`;
  // A key names what the child stands for, never another child's (random) id; the legacy id is what it was named by.
  const child = (type: string, what: string, legacyName = what) =>
    idOf({ type, key: `${release}|${what}`, legacy: `${type}--${nameUuid(`${seed}|${legacyName}`)}` });
  const t = inc.created;
  const sdo = { spec_version: '2.1', created: t, modified: t, object_marking_refs: marking };
  const out: Record<string, unknown>[] = [];
  const rel = (type: string, target: string, what = target) => ({
    type: 'relationship',
    id: child('relationship', `${type}|${what}`, `${type}|${target}`),
    ...sdo,
    relationship_type: type,
    source_ref: inc.id,
    target_ref: target,
  });
  for (const o of normalised) {
    if (o.type === 'narrative') continue;
    const id = `${o.type}--${nameUuid(`${seed}|${o.type}|${o.norm}`)}`;
    out.push(scoOf(o, id, marking), rel('related-to', id));
  }
  if (inc.location) {
    const id = child('location', `location|${inc.location.lat}|${inc.location.lon}`);
    out.push(
      { type: 'location', id, ...sdo, latitude: inc.location.lat, longitude: inc.location.lon },
      rel('located-at', id, `location|${inc.location.lat}|${inc.location.lon}`),
    );
  }
  for (const ttp of inc.ttps) out.push(rel('uses', ttp));
  if (inc.actor) {
    const id = child(inc.actor.kind, `${inc.actor.kind}|${inc.actor.name}`);
    out.push(
      { type: inc.actor.kind, id, ...sdo, name: inc.actor.name },
      rel('attributed-to', id, `${inc.actor.kind}|${inc.actor.name}`),
    );
  }
  return out;
}

/** Reads an incident back from its stored STIX version; undefined when it is not one of Bulwark's. */
export function incidentOfStix(
  obj: Record<string, unknown>,
  author: string,
  tlp: Tlp,
  audience: string[],
): Incident | undefined {
  const exts = obj.extensions as Record<string, Record<string, unknown>> | undefined;
  const e = exts?.[INCIDENT_EXTENSION_ID];
  if (obj.type !== 'incident' || !e) return undefined;
  const loc = e.location as { latitude: number; longitude: number } | undefined;
  return {
    id: obj.id as string,
    title: obj.name as string,
    description: (obj.description as string | undefined) ?? '',
    category: e.category as Category,
    occurredAt: e.occurred_at as string,
    location: loc ? { lat: loc.latitude, lon: loc.longitude } : null,
    affectedMembers: (e.affected_members as string[] | undefined) ?? [],
    observables: (e.observables as ObservableInput[] | undefined) ?? [],
    narratives: (e.narratives as string[] | undefined) ?? [],
    ttps: (e.ttps as string[] | undefined) ?? [],
    actor: (e.actor as Incident['actor'] | undefined) ?? null,
    reliability: (e.source_reliability as Reliability | undefined) ?? null,
    credibility: (e.information_credibility as number | undefined) ?? null,
    tlp,
    audience,
    author,
    created: obj.created as string,
    modified: obj.modified as string,
  };
}

/** ISO 8601 week of a timestamp, e.g. "2026-W05". */
export function isoWeek(iso: string): string {
  const d = new Date(iso);
  const day = (d.getUTCDay() + 6) % 7;
  const thursday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day + 3));
  const year = thursday.getUTCFullYear();
  const week = Math.ceil(((thursday.getTime() - Date.UTC(year, 0, 1)) / 86400000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}
