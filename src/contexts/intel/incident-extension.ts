/**
 * The shape of Bulwark's incident property extension (incident.ts, extensionObjects), checked on every
 * write path: the REST API builds it, but TAXII and import store what clients send, and the REST reads
 * present those fields as an incident (a malformed one answered 500). Pure.
 */
import { isOrgCodeShape } from '../sharing/organisations.ts';
import { isTimestamp } from '../stix/stix.ts';
import type { Problem } from '../stix/validate.ts';
import { CATEGORIES, INCIDENT_EXTENSION_ID, RELIABILITY } from './incident.ts';

const CATEGORY = new Set<unknown>(CATEGORIES);
const GRADE = new Set<unknown>(RELIABILITY);
const ACTOR_KINDS = new Set<unknown>(['threat-actor', 'intrusion-set']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function stringsOr(v: unknown, each: (s: string) => boolean): boolean {
  return Array.isArray(v) && v.every((x) => typeof x === 'string' && each(x));
}

const anyString = (): boolean => true;

/** Problems of an object's Bulwark incident extension, if it has one; [] otherwise. */
export function incidentExtensionProblems(obj: Record<string, unknown>): Problem[] {
  const exts = obj.extensions;
  if (!isRecord(exts) || exts[INCIDENT_EXTENSION_ID] === undefined) return [];
  const at = `extensions.${INCIDENT_EXTENSION_ID}`;
  const e = exts[INCIDENT_EXTENSION_ID];
  if (obj.type !== 'incident') return [{ property: at, message: 'belongs on an incident only' }];
  if (!isRecord(e)) return [{ property: at, message: 'must be an object' }];
  const out: Problem[] = [];
  const bad = (p: string, message: string) => out.push({ property: `${at}.${p}`, message });
  if (!CATEGORY.has(e.category)) bad('category', `must be one of ${CATEGORIES.join(', ')}`);
  if (!isTimestamp(e.occurred_at))
    bad('occurred_at', 'must be a UTC timestamp YYYY-MM-DDTHH:MM:SS[.sss]Z with a year from 0001 to 9999');
  if (!stringsOr(e.affected_members, isOrgCodeShape))
    bad('affected_members', 'must be an array of two-letter organisation codes');
  if (e.audience !== undefined && !stringsOr(e.audience, isOrgCodeShape))
    bad('audience', 'must be an array of two-letter organisation codes');
  for (const p of ['narratives', 'ttps'])
    if (e[p] !== undefined && !stringsOr(e[p], anyString)) bad(p, 'must be an array of strings');
  if (
    e.observables !== undefined &&
    !(
      Array.isArray(e.observables) &&
      e.observables.every((o) => isRecord(o) && typeof o.type === 'string' && typeof o.value === 'string')
    )
  ) {
    bad('observables', 'must be an array of {type, value} strings');
  }
  if (e.location !== undefined) {
    const l = e.location;
    if (
      !isRecord(l) ||
      typeof l.latitude !== 'number' ||
      typeof l.longitude !== 'number' ||
      Math.abs(l.latitude) > 90 ||
      Math.abs(l.longitude) > 180
    ) {
      bad('location', 'must be {latitude, longitude} in degrees');
    }
  }
  if (
    e.actor !== undefined &&
    !(isRecord(e.actor) && typeof e.actor.name === 'string' && ACTOR_KINDS.has(e.actor.kind))
  )
    bad('actor', 'must be {name, kind: threat-actor | intrusion-set}');
  if (e.source_reliability !== undefined && !GRADE.has(e.source_reliability))
    bad('source_reliability', 'must be one of A to F');
  const c = e.information_credibility;
  if (c !== undefined && !(typeof c === 'number' && Number.isInteger(c) && c >= 1 && c <= 6))
    bad('information_credibility', 'must be an integer from 1 to 6');
  return out;
}
