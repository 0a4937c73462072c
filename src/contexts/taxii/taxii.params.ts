import { validation } from '../../platform/errors.ts';
import { isIdentifier, isValidType, parseMicros, timestampKey } from '../stix/stix.ts';
import type { VersionMatch } from '../knowledge/knowledge.repository.ts';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

export interface TaxiiFilters {
  limit: number;
  addedAfterUs: number | undefined;
  ids: string[];
  types: string[];
  versions: VersionMatch[];
  specVersions: string[];
}

type Query = Record<string, unknown>;

/** A single query value as text (the first when repeated). */
function one(v: unknown): string {
  if (Array.isArray(v)) return one(v[0]);
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

function list(q: Query, key: string): string[] {
  const raw = q[key];
  if (raw === undefined) return [];
  const values = (Array.isArray(raw) ? (raw as unknown[]) : [raw]).map(one).join(',');
  if (values.length > 20_000) throw validation(key, 'is too long');
  const parts = values
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (parts.length > 500) throw validation(key, 'names more than 500 values');
  return parts;
}

const SINGLE = ['added_after', 'limit', 'next'];

/**
 * Parses TAXII 2.1 URL parameters (section 3.4); every error names the parameter.
 * A parameter given twice (`match[type]=a&match[type]=b`) is a malformed request (400): several
 * values go comma-separated in one parameter. An unsupported `match[...]` field is refused (400)
 * rather than silently ignored, so a client never takes an unfiltered answer for a filtered one.
 * Without `match[version]` the default is `last` (the latest version), on every endpoint that takes it.
 */
export function parseFilters(
  q: Query,
  allowed: ReadonlyArray<'id' | 'type' | 'version' | 'spec_version'>,
  defaultVersion: VersionMatch = 'last',
): TaxiiFilters {
  for (const [key, value] of Object.entries(q)) {
    if (Array.isArray(value) && (SINGLE.includes(key) || key.startsWith('match[')))
      throw validation(key, 'must not be repeated; give several values comma-separated in one parameter');
  }
  let limit = DEFAULT_LIMIT;
  if (q.limit !== undefined) {
    const s = one(q.limit);
    const n = s.length <= 9 ? Number(s) : NaN;
    if (!Number.isInteger(n) || n < 1) throw validation('limit', 'must be a positive integer');
    limit = Math.min(n, MAX_LIMIT);
  }
  let addedAfterUs: number | undefined;
  if (q.added_after !== undefined) {
    addedAfterUs = parseMicros(one(q.added_after));
    if (addedAfterUs === undefined)
      throw validation('added_after', 'must be a timestamp YYYY-MM-DDTHH:MM:SS[.ssssss]Z');
  }
  if (q.next !== undefined) {
    const s = one(q.next);
    let ok = s.length > 0 && s.length <= 20;
    for (let i = 0; ok && i < s.length; i++) ok = s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;
    if (!ok) throw validation('next', 'is not a value this server returned');
    addedAfterUs = Math.max(addedAfterUs ?? 0, Number(s));
  }
  const ids = allowed.includes('id') ? list(q, 'match[id]') : [];
  for (const id of ids)
    if (!isIdentifier(id)) throw validation('match[id]', `"${String(id).slice(0, 60)}" is not a STIX id`);
  const types = allowed.includes('type') ? list(q, 'match[type]') : [];
  for (const t of types) if (!isValidType(t)) throw validation('match[type]', `"${t.slice(0, 60)}" is not a STIX type`);
  const versions: VersionMatch[] = [];
  const versionValues: string[] = allowed.includes('version') ? list(q, 'match[version]') : [];
  for (const v of versionValues) {
    if (v === 'first' || v === 'last' || v === 'all') versions.push(v);
    else {
      const key = timestampKey(v);
      if (!key) throw validation('match[version]', `"${v.slice(0, 40)}" is not first, last, all or a timestamp`);
      versions.push({ key });
    }
  }
  if (versions.length === 0) versions.push(defaultVersion);
  const specVersions: string[] = allowed.includes('spec_version') ? list(q, 'match[spec_version]') : [];
  for (const s of specVersions)
    if (s !== '2.0' && s !== '2.1')
      throw validation('match[spec_version]', `"${s.slice(0, 20)}" is not a STIX spec version`);
  for (const key of Object.keys(q)) {
    if (key.startsWith('match[') && !allowed.some((a) => key === `match[${a}]`))
      throw validation(key, 'is not a filter this endpoint supports');
  }
  return { limit, addedAfterUs, ids, types, versions, specVersions };
}
