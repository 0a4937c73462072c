import { createHash } from 'node:crypto';
/** STIX 2.1 identifiers, timestamps and versions: pure, linear-time checks (no backtracking regex). */
export type StixObject = Record<string, unknown> & { type: string; id: string };

export const SDO_TYPES = new Set([
  'attack-pattern',
  'campaign',
  'course-of-action',
  'grouping',
  'identity',
  'incident',
  'indicator',
  'infrastructure',
  'intrusion-set',
  'location',
  'malware',
  'malware-analysis',
  'note',
  'observed-data',
  'opinion',
  'report',
  'threat-actor',
  'tool',
  'vulnerability',
]);
export const SRO_TYPES = new Set(['relationship', 'sighting']);
export const SCO_TYPES = new Set([
  'artifact',
  'autonomous-system',
  'directory',
  'domain-name',
  'email-addr',
  'email-message',
  'file',
  'ipv4-addr',
  'ipv6-addr',
  'mac-addr',
  'mutex',
  'network-traffic',
  'process',
  'software',
  'url',
  'user-account',
  'windows-registry-key',
  'x509-certificate',
]);
export const META_TYPES = new Set(['marking-definition', 'language-content', 'extension-definition']);

const MAX_TYPE_LENGTH = 250;

function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** `^[a-z][a-z0-9]*(-[a-z0-9]+)*-?$`, 3..250 characters, checked in one pass. */
export function isValidType(t: string): boolean {
  if (t.length < 3 || t.length > MAX_TYPE_LENGTH) return false;
  if (!isLower(t.charCodeAt(0))) return false;
  let prevDash = false;
  for (let i = 1; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 45) {
      if (prevDash) return false;
      prevDash = true;
    } else if (isLower(c) || isDigit(c)) prevDash = false;
    else return false;
  }
  return true;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102);
}

/** RFC 4122 UUID in lower-case canonical form (any version, as STIX allows v4/v5 and others). */
export function isUuid(s: string): boolean {
  if (s.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false;
    } else if (!isHex(c)) return false;
  }
  return true;
}

/** Splits `type--uuid`; undefined when the shape is wrong. */
export function parseId(id: string): { type: string; uuid: string } | undefined {
  if (id.length > MAX_TYPE_LENGTH + 38) return undefined;
  const sep = id.indexOf('--');
  if (sep < 0) return undefined;
  const type = id.slice(0, sep);
  const uuid = id.slice(sep + 2);
  if (!isValidType(type) || !isUuid(uuid)) return undefined;
  return { type, uuid };
}

export function isIdentifier(v: unknown, ofType?: string): v is string {
  if (typeof v !== 'string') return false;
  const p = parseId(v);
  return p !== undefined && (ofType === undefined || p.type === ofType);
}

/**
 * STIX timestamp: YYYY-MM-DDTHH:MM:SS[.s+]Z, UTC only (the trailing Z is required), with a real
 * calendar date in the years 0001 to 9999. Returns undefined when invalid, else the fixed-width sortable key
 * YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ used to compare versions.
 */
export function timestampKey(v: unknown): string | undefined {
  if (!isTimestamp(v)) return undefined;
  return v.length === 20 ? `${v.slice(0, 19)}.000000000Z` : `${v.slice(0, -1)}${ZEROS.slice(v.length - 21)}Z`;
}

/** Whether `v` is a STIX timestamp as timestampKey defines it (it builds no key: validation checks several per object). */
export function isTimestamp(v: unknown): v is string {
  if (typeof v !== 'string' || v.length < 20 || v.length > 30) return false;
  for (let k = 0; k < TIMESTAMP_DIGITS.length; k++) if (!isDigit(v.charCodeAt(TIMESTAMP_DIGITS[k]!))) return false;
  if (
    v.charCodeAt(4) !== DASH ||
    v.charCodeAt(7) !== DASH ||
    v.charCodeAt(10) !== T ||
    v.charCodeAt(13) !== COLON ||
    v.charCodeAt(16) !== COLON
  )
    return false;
  if (v.charCodeAt(v.length - 1) !== Z) return false;
  if (v.length > 20) {
    if (v.charCodeAt(19) !== DOT || v.length < 22) return false;
    for (let i = 20; i < v.length - 1; i++) if (!isDigit(v.charCodeAt(i))) return false;
  }
  const y = num(v, 0, 4);
  const mo = num(v, 5, 2);
  const d = num(v, 8, 2);
  // Years run from 0001 to 9999: 0000 is no year of the calendar STIX timestamps (RFC 3339) use.
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || num(v, 11, 2) > 23 || num(v, 14, 2) > 59 || num(v, 17, 2) > 60)
    return false;
  return d <= daysInMonth(y, mo);
}

/** Nine zeros: the fraction of a key is padded to nanoseconds. */
const ZEROS = '000000000';
const TIMESTAMP_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];
const DASH = 45;
const COLON = 58;
const DOT = 46;
const T = 84;
const Z = 90;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The decimal number of `len` digit characters at `at` (already checked to be digits). */
function num(v: string, at: number, len: number): number {
  let n = 0;
  for (let i = at; i < at + len; i++) n = n * 10 + v.charCodeAt(i) - 48;
  return n;
}

function daysInMonth(y: number, mo: number): number {
  if (mo !== 2) return DAYS[mo - 1]!;
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
}

/** The version of an object: `modified`, else `created`, else none (SCOs, TLP markings). */
export function versionKeyOf(obj: StixObject): string {
  return timestampKey(obj.modified) ?? timestampKey(obj.created) ?? '';
}

/** date_added with microsecond precision from microseconds since the epoch. */
export function formatMicros(us: number): string {
  const ms = Math.floor(us / 1000);
  if (ms !== lastMs) {
    lastMs = ms;
    lastPrefix = new Date(ms).toISOString().slice(0, 23); // 2026-11-28T10:00:00.123
  }
  const micro = us - ms * 1000;
  return `${lastPrefix}${micro < 10 ? '00' : micro < 100 ? '0' : ''}${micro}Z`;
}

/** formatMicros is called for consecutive microseconds (a batch's date_added): the millisecond part repeats. */
let lastMs = Number.NaN;
let lastPrefix = '';

/** Parses a STIX/TAXII timestamp into microseconds since the epoch (sub-µs digits dropped). */
export function parseMicros(v: string): number | undefined {
  const key = timestampKey(v);
  if (!key) return undefined;
  const ms = Date.parse(`${key.slice(0, 19)}Z`);
  if (Number.isNaN(ms)) return undefined;
  return ms * 1000 + Number(key.slice(20, 26));
}

/** JSON with object keys sorted: two objects are the same content iff their canonical forms match. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

/** A name-based UUID (version 5 layout over SHA-1): the same seed always gives the same id. */
export function nameUuid(seed: string): string {
  const h = createHash('sha1').update(seed).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
