import { jsonValueProblem } from '../../platform/json-limits.ts';
import { domainNameProblem } from './domain-name.ts';
import {
  META_TYPES,
  SCO_TYPES,
  SDO_TYPES,
  SRO_TYPES,
  isIdentifier,
  isTimestamp,
  isValidType,
  parseId,
  timestampKey,
  type StixObject,
} from './stix.ts';

export interface Problem {
  property: string;
  message: string;
}

export interface Limits {
  maxDepth: number;
  maxObjectBytes: number;
}

export const DEFAULT_LIMITS: Limits = { maxDepth: 40, maxObjectBytes: 4 * 1024 * 1024 };

export type Validation = { ok: true; obj: StixObject } | { ok: false; id: string | undefined; problems: Problem[] };

/** Required properties beyond the common ones, by type (STIX 2.1 section 4–6). */
const REQUIRED: Record<string, string[]> = {
  'attack-pattern': ['name'],
  campaign: ['name'],
  'course-of-action': ['name'],
  grouping: ['context', 'object_refs'],
  identity: ['name'],
  incident: ['name'],
  indicator: ['pattern', 'pattern_type', 'valid_from'],
  infrastructure: ['name'],
  'intrusion-set': ['name'],
  malware: ['is_family'],
  'malware-analysis': ['product'],
  note: ['content', 'object_refs'],
  'observed-data': ['first_observed', 'last_observed', 'number_observed'],
  opinion: ['opinion', 'object_refs'],
  report: ['name', 'published', 'object_refs'],
  'threat-actor': ['name'],
  tool: ['name'],
  vulnerability: ['name'],
  relationship: ['relationship_type', 'source_ref', 'target_ref'],
  sighting: ['sighting_of_ref'],
  'domain-name': ['value'],
  'email-addr': ['value'],
  'ipv4-addr': ['value'],
  'ipv6-addr': ['value'],
  'mac-addr': ['value'],
  url: ['value'],
  mutex: ['name'],
  'autonomous-system': ['number'],
  directory: ['path'],
  'user-account': [],
  'language-content': ['object_ref', 'contents'],
  'extension-definition': ['name', 'schema', 'version', 'extension_types'],
};

const TIMESTAMP_PROPS = [
  'created',
  'modified',
  'valid_from',
  'valid_until',
  'first_seen',
  'last_seen',
  'first_observed',
  'last_observed',
  'published',
];

/**
 * Whether nesting reaches `max` levels. The walk never goes deeper than that, so deeply nested input
 * cannot exhaust the stack, and it allocates nothing (it runs once per imported object).
 */
export function depthExceeds(value: unknown, max: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (max <= 0) return true;
  if (Array.isArray(value)) {
    for (const c of value) if (depthExceeds(c, max - 1)) return true;
  } else {
    const o = value as Record<string, unknown>;
    for (const k in o) if (depthExceeds(o[k], max - 1)) return true;
  }
  return false;
}

// The checks below run once per imported object, on the import's busiest thread: plain loops and module-level
// functions, so a call allocates no closures (and, loaded through tsx, names none).

function isStringArray(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (const x of v as unknown[]) if (typeof x !== 'string') return false;
  return true;
}

function allIdentifiers(v: unknown[], ofType?: string): boolean {
  for (const x of v) if (!isIdentifier(x, ofType)) return false;
  return true;
}

function bad(problems: Problem[], property: string, message: string): void {
  problems.push({ property, message });
}

const CREATED_MODIFIED = ['created', 'modified'];
const REF_PROPS = ['source_ref', 'target_ref', 'sighting_of_ref', 'object_ref'];
const ARRAY_PROPS = ['object_refs', 'kill_chain_phases'];

/**
 * Validates one incoming STIX 2.1 object. Every problem names the property; the caller adds
 * the object's id and position. Byte size is checked by the caller on the raw text.
 */
export function validateStixObject(raw: unknown, limits: Limits = DEFAULT_LIMITS): Validation {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, id: undefined, problems: [{ property: '(object)', message: 'must be a JSON object' }] };
  }
  const o = raw as Record<string, unknown>;
  const id = typeof o.id === 'string' && o.id.length <= 300 ? o.id : undefined;
  const problems: Problem[] = [];

  // One bounded walk: nesting, and numbers JSON.parse did not keep as sent (-1e999 is -Infinity, stored as
  // null; 9007199254740993 is rounded). STIX integers range over ±(2^53 - 1).
  const values = jsonValueProblem(o, limits.maxDepth);
  if (values) bad(problems, values.path || '(object)', values.message);
  const type = o.type;
  if (typeof type !== 'string') bad(problems, 'type', 'is required and must be a string');
  else if (!isValidType(type))
    bad(problems, 'type', 'must be 3-250 characters of a-z, 0-9 and single hyphens, starting with a letter');
  if (typeof o.id !== 'string') bad(problems, 'id', 'is required and must be a string');
  else {
    const p = parseId(o.id);
    if (!p) bad(problems, 'id', 'must be "<type>--<uuid>" with a lower-case RFC 4122 UUID');
    else if (typeof type === 'string' && p.type !== type)
      bad(problems, 'id', `prefix "${p.type}" does not match type "${type}"`);
  }
  if (problems.length > 0) return { ok: false, id, problems };
  const t = type as string;
  const isSco = SCO_TYPES.has(t);
  const isTlpLike = t === 'marking-definition';

  if (o.spec_version === undefined) {
    if (!isSco) bad(problems, 'spec_version', 'is required ("2.1")');
  } else if (o.spec_version !== '2.1')
    bad(problems, 'spec_version', `must be "2.1", got ${JSON.stringify(o.spec_version).slice(0, 20)}`);

  const needsCreated =
    SDO_TYPES.has(t) || SRO_TYPES.has(t) || META_TYPES.has(t) || (!isSco && !t.startsWith('x-') && !isTlpLike);
  for (const p of CREATED_MODIFIED) {
    if (o[p] === undefined) {
      if (needsCreated && !(isTlpLike && p === 'modified'))
        bad(problems, p, 'is required (a timestamp such as 2024-01-31T12:00:00.000Z)');
    }
  }
  for (const p of TIMESTAMP_PROPS) {
    if (o[p] !== undefined && !isTimestamp(o[p]))
      bad(problems, p, 'must be a UTC timestamp YYYY-MM-DDTHH:MM:SS[.sss]Z with a year from 0001 to 9999');
  }
  // Keys are built only when the two differ (equal timestamps are the usual case, and in order).
  if (o.created !== o.modified) {
    const ck = timestampKey(o.created);
    const mk = timestampKey(o.modified);
    if (ck && mk && mk < ck) bad(problems, 'modified', 'must not be earlier than created');
  }

  for (const p of REQUIRED[t] ?? []) if (o[p] === undefined) bad(problems, p, `is required for ${t}`);
  if (
    t === 'location' &&
    o.region === undefined &&
    o.country === undefined &&
    (o.latitude === undefined || o.longitude === undefined)
  ) {
    bad(problems, 'region', 'a location needs region, country, or latitude and longitude');
  }
  if (t === 'file' && o.hashes === undefined && o.name === undefined)
    bad(problems, 'hashes', 'a file needs hashes or name');
  if (t === 'marking-definition' && o.definition_type === undefined && o.extensions === undefined)
    bad(problems, 'definition_type', 'is required unless the marking uses an extension');

  if (o.created_by_ref !== undefined && !isIdentifier(o.created_by_ref, 'identity'))
    bad(problems, 'created_by_ref', 'must be an identity id');
  if (o.labels !== undefined && !isStringArray(o.labels)) bad(problems, 'labels', 'must be an array of strings');
  if (o.revoked !== undefined && typeof o.revoked !== 'boolean') bad(problems, 'revoked', 'must be a boolean');
  if (
    o.confidence !== undefined &&
    !(Number.isInteger(o.confidence) && (o.confidence as number) >= 0 && (o.confidence as number) <= 100)
  ) {
    bad(problems, 'confidence', 'must be an integer from 0 to 100');
  }
  if (o.object_marking_refs !== undefined) {
    if (
      !Array.isArray(o.object_marking_refs) ||
      !allIdentifiers(o.object_marking_refs as unknown[], 'marking-definition')
    ) {
      bad(problems, 'object_marking_refs', 'must be an array of marking-definition ids');
    }
  }
  if (o.external_references !== undefined) {
    if (!Array.isArray(o.external_references)) bad(problems, 'external_references', 'must be an array');
    else {
      const refs = o.external_references as unknown[];
      for (let i = 0; i < refs.length; i++) {
        const r = refs[i];
        if (r === null || typeof r !== 'object' || typeof (r as Record<string, unknown>).source_name !== 'string') {
          bad(problems, `external_references[${i}].source_name`, 'is required and must be a string');
        }
      }
    }
  }
  if (
    o.extensions !== undefined &&
    (o.extensions === null || typeof o.extensions !== 'object' || Array.isArray(o.extensions))
  ) {
    bad(problems, 'extensions', 'must be an object keyed by extension id');
  }
  for (const p of REF_PROPS) {
    if (o[p] !== undefined && !isIdentifier(o[p])) bad(problems, p, 'must be a STIX id "<type>--<uuid>"');
  }
  for (const p of ARRAY_PROPS) {
    if (o[p] !== undefined && !Array.isArray(o[p])) bad(problems, p, 'must be an array');
  }
  if (Array.isArray(o.object_refs) && !allIdentifiers(o.object_refs as unknown[]))
    bad(problems, 'object_refs', 'must hold STIX ids only');
  if (o.name !== undefined && typeof o.name !== 'string') bad(problems, 'name', 'must be a string');
  if (o.description !== undefined && typeof o.description !== 'string')
    bad(problems, 'description', 'must be a string');
  if (t === 'domain-name' && typeof o.value === 'string') {
    const d = domainNameProblem(o.value);
    if (d) bad(problems, 'value', d);
  }
  if (
    (t === 'domain-name' || t === 'url' || t === 'ipv4-addr' || t === 'ipv6-addr' || t === 'email-addr') &&
    typeof o.value !== 'string' &&
    o.value !== undefined
  ) {
    bad(problems, 'value', 'must be a string');
  }
  return problems.length > 0 ? { ok: false, id, problems } : { ok: true, obj: o as StixObject };
}
