import { audienceShapeProblem } from '../sharing/audience.ts';
import { impersonation } from '../sharing/identity.ts';
import { incidentExtensionProblems } from '../intel/incident-extension.ts';
import { encodeAudience } from '../../kernel/access/releasability.ts';
import { isTlpMarkingId, mostRestrictive, tlpOfMarkingId, type Tlp } from '../../kernel/access/tlp.ts';
import { validateStixObject, type Limits, type Problem } from '../stix/validate.ts';
import { versionKeyOf, type StixObject } from '../stix/stix.ts';
import { forgedMarkingProblem } from '../stix/well-known.ts';

/**
 * One element of an incoming bundle: its raw text (streamed), a parsed value, or a reason it was skipped.
 * A text's `keys`, when the scanner gives it, says the text has no whitespace outside strings and holds
 * that many keys (ScannedItem).
 */
export type RawItem =
  | { index: number; text: string; keys?: number }
  | { index: number; value: unknown }
  | { index: number; skipped: string };

export interface IngestOptions {
  /** TLP for objects that carry no TLP marking. */
  defaultTlp: Tlp;
  /** Audience (org codes) applied to every object of this write; [] for none. */
  audience: readonly string[];
  limits: Limits;
  /** The organisation the objects are written for (NO_AUTHOR for the server's own): what they may claim as creator. */
  author?: string;
}

/** A validated object ready to be stored, with its releasability (plain strings: it may come from a worker thread). */
export interface PreparedObject {
  index: number;
  id: string;
  /** The version to present (modified/created), '' for unversioned objects. */
  version: string;
  type: string;
  specVersion: string;
  versionKey: string;
  /** The object's JSON; as UTF-8 bytes when it comes from the preparing thread (packed-batch.ts). */
  json: string | Uint8Array;
  tlp: Tlp;
  audience: string;
}

export interface Rejection {
  index: number;
  id: string | undefined;
  problems: Problem[];
  /** The element's modified/created when it has one (TAXII status details report it). */
  version?: string;
}

export function tlpOf(obj: StixObject, fallback: Tlp): Tlp {
  // TLP marking-definition objects themselves are public.
  if (obj.type === 'marking-definition' && isTlpMarkingId(obj.id)) return 'clear';
  const refs = obj.object_marking_refs;
  let found: Tlp | undefined;
  if (Array.isArray(refs)) {
    for (const r of refs) {
      const t = typeof r === 'string' ? tlpOfMarkingId(r) : undefined;
      if (t) found = found ? mostRestrictive(found, t) : t;
    }
  }
  return found ?? fallback;
}

/** The shape of an audience (pure; the store's organisations are checked by sharing/audience.ts assertAudience). */
export function validateAudience(audience: readonly string[]): Problem | undefined {
  return audienceShapeProblem(audience);
}

/** Parses and validates one raw item; pure. */
export function prepare(item: RawItem, opts: IngestOptions): PreparedObject | Rejection {
  if ('skipped' in item)
    return { index: item.index, id: undefined, problems: [{ property: '(object)', message: item.skipped }] };
  let value: unknown;
  if ('text' in item) {
    if (item.text.length > opts.limits.maxObjectBytes) {
      return {
        index: item.index,
        id: undefined,
        problems: [{ property: '(object)', message: `larger than ${opts.limits.maxObjectBytes} bytes` }],
      };
    }
    try {
      value = JSON.parse(item.text);
    } catch (e) {
      return {
        index: item.index,
        id: undefined,
        problems: [{ property: '(object)', message: `not valid JSON: ${(e as Error).message.slice(0, 200)}` }],
      };
    }
  } else value = item.value;
  const v = validateStixObject(value, opts.limits);
  if (!v.ok) return { index: item.index, id: v.id, problems: v.problems, ...versionOf(value) };
  const claim = impersonation(v.obj, opts.author ?? '');
  if (claim) return { index: item.index, id: v.obj.id, problems: [claim] };
  const forged = forgedMarkingProblem(v.obj);
  if (forged) return { index: item.index, id: v.obj.id, problems: [{ property: 'id', message: forged }] };
  const ext = incidentExtensionProblems(v.obj);
  if (ext.length > 0) return { index: item.index, id: v.obj.id, problems: ext };
  // A compact text whose key count equals the parsed value's has no duplicate keys: it holds exactly the
  // validated value, and is stored as it came (serialising again cost a fifth of the preparing thread).
  // Any other text, or a parsed value, is serialised.
  const text =
    'text' in item && item.keys !== undefined && item.keys === keyCount(v.obj) ? item.text : JSON.stringify(v.obj);
  if (utf8Exceeds(text, opts.limits.maxObjectBytes)) {
    return {
      index: item.index,
      id: v.obj.id,
      problems: [{ property: '(object)', message: `larger than ${opts.limits.maxObjectBytes} bytes` }],
    };
  }
  return {
    index: item.index,
    id: v.obj.id,
    version: presentedVersion(v.obj, ''),
    type: v.obj.type,
    specVersion: typeof v.obj.spec_version === 'string' ? v.obj.spec_version : '2.1',
    versionKey: versionKeyOf(v.obj),
    json: text,
    tlp: tlpOf(v.obj, opts.defaultTlp),
    audience: encodeAudience(opts.audience),
  };
}

/**
 * Whether the text takes more than `max` bytes as stored (UTF-8). Its length counts UTF-16 units, up to
 * three bytes each: a 4 Mi-character description of "€" is 12 MiB stored, which a length check passed.
 */
function utf8Exceeds(text: string, max: number): boolean {
  return text.length > max || (text.length * 3 > max && Buffer.byteLength(text) > max);
}

function versionOf(value: unknown): { version?: string } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  const v = presentedVersion(value as Record<string, unknown>, '');
  return v ? { version: v } : {};
}

/** Keys in a JSON value, at every level (validated values only: their depth is bounded). */
export function keyCount(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let n = 0;
  if (Array.isArray(value)) {
    for (const c of value as unknown[]) n += keyCount(c);
  } else {
    const o = value as Record<string, unknown>;
    for (const k in o) n += 1 + keyCount(o[k]);
  }
  return n;
}

/** A batch of prepared elements, in bundle order. */
export interface PreparedBatch {
  results: Array<PreparedObject | Rejection>;
  /** When reading a file: its bytes read so far. */
  bytesRead?: number;
}

const utf8 = new TextDecoder();

/** The JSON text of a prepared object. */
export function jsonText(json: string | Uint8Array): string {
  return typeof json === 'string' ? json : utf8.decode(json);
}

export function isRejection(p: PreparedObject | Rejection): p is Rejection {
  return 'problems' in p;
}

/** What an ingest did, object by object (TAXII status details come from this). */
export interface IngestReport {
  total: number;
  accepted: Array<{ index: number; id: string; version: string }>;
  duplicates: Array<{ index: number; id: string; version: string }>;
  rejected: Array<{ index: number; id: string | undefined; message: string; version?: string }>;
}

export function emptyReport(): IngestReport {
  return { total: 0, accepted: [], duplicates: [], rejected: [] };
}

export function problemText(r: Rejection): string {
  const where = r.id ? `${r.id}` : `objects[${r.index}]`;
  return r.problems.map((p) => `${where}: ${p.property} ${p.message}`).join('; ');
}

/** The version to present: the object's own modified/created, or date_added for unversioned objects. */
export function presentedVersion(obj: Record<string, unknown>, dateAdded: string): string {
  if (typeof obj.modified === 'string') return obj.modified;
  if (typeof obj.created === 'string') return obj.created;
  return dateAdded;
}
