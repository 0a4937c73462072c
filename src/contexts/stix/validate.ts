import { META_TYPES, SCO_TYPES, SDO_TYPES, SRO_TYPES, isIdentifier, isValidType, parseId, timestampKey, type StixObject } from './stix.ts';

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

const TIMESTAMP_PROPS = ['created', 'modified', 'valid_from', 'valid_until', 'first_seen', 'last_seen', 'first_observed', 'last_observed', 'published'];

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

function isStringArray(v: unknown): boolean {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

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
  const bad = (property: string, message: string) => problems.push({ property, message });

  if (depthExceeds(o, limits.maxDepth)) bad('(object)', `nested deeper than ${limits.maxDepth} levels`);
  const type = o.type;
  if (typeof type !== 'string') bad('type', 'is required and must be a string');
  else if (!isValidType(type)) bad('type', 'must be 3-250 characters of a-z, 0-9 and single hyphens, starting with a letter');
  if (typeof o.id !== 'string') bad('id', 'is required and must be a string');
  else {
    const p = parseId(o.id);
    if (!p) bad('id', 'must be "<type>--<uuid>" with a lower-case RFC 4122 UUID');
    else if (typeof type === 'string' && p.type !== type) bad('id', `prefix "${p.type}" does not match type "${type}"`);
  }
  if (problems.length > 0) return { ok: false, id, problems };
  const t = type as string;
  const isSco = SCO_TYPES.has(t);
  const isTlpLike = t === 'marking-definition';

  if (o.spec_version === undefined) {
    if (!isSco) bad('spec_version', 'is required ("2.1")');
  } else if (o.spec_version !== '2.1') bad('spec_version', `must be "2.1", got ${JSON.stringify(o.spec_version).slice(0, 20)}`);

  const needsCreated = SDO_TYPES.has(t) || SRO_TYPES.has(t) || META_TYPES.has(t) || (!isSco && !t.startsWith('x-') && !isTlpLike);
  for (const p of ['created', 'modified']) {
    if (o[p] === undefined) {
      if (needsCreated && !(isTlpLike && p === 'modified')) bad(p, 'is required (a timestamp such as 2024-01-31T12:00:00.000Z)');
    }
  }
  for (const p of TIMESTAMP_PROPS) {
    if (o[p] !== undefined && timestampKey(o[p]) === undefined) bad(p, 'must be a UTC timestamp YYYY-MM-DDTHH:MM:SS[.sss]Z');
  }
  const ck = timestampKey(o.created);
  const mk = timestampKey(o.modified);
  if (ck && mk && mk < ck) bad('modified', 'must not be earlier than created');

  for (const p of REQUIRED[t] ?? []) if (o[p] === undefined) bad(p, `is required for ${t}`);
  if (t === 'location' && o.region === undefined && o.country === undefined && (o.latitude === undefined || o.longitude === undefined)) {
    bad('region', 'a location needs region, country, or latitude and longitude');
  }
  if (t === 'file' && o.hashes === undefined && o.name === undefined) bad('hashes', 'a file needs hashes or name');
  if (t === 'marking-definition' && o.definition_type === undefined && o.extensions === undefined) bad('definition_type', 'is required unless the marking uses an extension');

  if (o.created_by_ref !== undefined && !isIdentifier(o.created_by_ref, 'identity')) bad('created_by_ref', 'must be an identity id');
  if (o.labels !== undefined && !isStringArray(o.labels)) bad('labels', 'must be an array of strings');
  if (o.revoked !== undefined && typeof o.revoked !== 'boolean') bad('revoked', 'must be a boolean');
  if (o.confidence !== undefined && !(Number.isInteger(o.confidence) && (o.confidence as number) >= 0 && (o.confidence as number) <= 100)) {
    bad('confidence', 'must be an integer from 0 to 100');
  }
  if (o.object_marking_refs !== undefined) {
    if (!Array.isArray(o.object_marking_refs) || !o.object_marking_refs.every((r) => isIdentifier(r, 'marking-definition'))) {
      bad('object_marking_refs', 'must be an array of marking-definition ids');
    }
  }
  if (o.external_references !== undefined) {
    if (!Array.isArray(o.external_references)) bad('external_references', 'must be an array');
    else
      o.external_references.forEach((r, i) => {
        if (r === null || typeof r !== 'object' || typeof (r as Record<string, unknown>).source_name !== 'string') {
          bad(`external_references[${i}].source_name`, 'is required and must be a string');
        }
      });
  }
  if (o.extensions !== undefined && (o.extensions === null || typeof o.extensions !== 'object' || Array.isArray(o.extensions))) {
    bad('extensions', 'must be an object keyed by extension id');
  }
  for (const p of ['source_ref', 'target_ref', 'sighting_of_ref', 'object_ref']) {
    if (o[p] !== undefined && !isIdentifier(o[p])) bad(p, 'must be a STIX id "<type>--<uuid>"');
  }
  for (const p of ['object_refs', 'kill_chain_phases'] as const) {
    if (o[p] !== undefined && !Array.isArray(o[p])) bad(p, 'must be an array');
  }
  if (Array.isArray(o.object_refs) && !o.object_refs.every((r) => isIdentifier(r))) bad('object_refs', 'must hold STIX ids only');
  if (o.name !== undefined && typeof o.name !== 'string') bad('name', 'must be a string');
  if (o.description !== undefined && typeof o.description !== 'string') bad('description', 'must be a string');
  if ((t === 'domain-name' || t === 'url' || t === 'ipv4-addr' || t === 'ipv6-addr' || t === 'email-addr') && typeof o.value !== 'string' && o.value !== undefined) {
    bad('value', 'must be a string');
  }
  return problems.length > 0 ? { ok: false, id, problems } : { ok: true, obj: o as StixObject };
}
