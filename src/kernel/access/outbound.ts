/**
 * What an object carries when it leaves Bulwark (TAXII lists, object by id, versions, export, and
 * later federation and briefings): the TLP it is held under and, when it is restricted to named
 * organisations, that audience. An object stored with `--tlp amber` and no marking of its own would
 * otherwise reach a downstream MISP or OpenCTI unmarked, and be passed on as such.
 *
 * - `object_marking_refs` gets the TLP 2.0 marking of the stored level when the object's own TLP
 *   markings are less restrictive (or absent); weaker TLP markings of its own are dropped, so that a
 *   consumer never sees two contradicting levels. Other markings are kept.
 * - A non-empty audience (on any level but CLEAR, where the table ignores it) goes into the property
 *   extension RELEASE_EXTENSION_ID: `{ "extension_type": "property-extension", "tlp", "audience" }`.
 * - `modified` is not changed: the release is a fact of the store, not a new version by the author.
 *
 * Pure and cheap: releasedJson leaves the text untouched (no parse: one search from the end and a scan
 * of what follows the markings) for the common row, whose own markings already say its level and which
 * has no audience; only other rows are parsed and rewritten.
 */
import { TLP1_MARKING_IDS, TLP2_MARKING_IDS, TLP_LEVELS, isTlpMarkingId, tlpOfMarkingId, type Tlp } from './tlp.ts';
import { decodeAudience } from './releasability.ts';

/** Bulwark's release extension (docs/api.md, docs/taxii-conformance.md). */
export const RELEASE_EXTENSION_ID = 'extension-definition--eab135a8-85c1-4e48-8bc5-8e1aefa5ee4d';
/** The identity that defines Bulwark's extensions (the same as intel's incident extension). */
const BULWARK_IDENTITY_ID = 'identity--3c1e6f0a-52c1-4b7e-9d5e-7a4f2c9b1e01';
const DEFINED_AT = '2026-12-03T00:00:00.000Z';

/** How an object is held: its stored TLP and audience (storage form ",PL,LT," or ""). */
export interface Held {
  tlp: Tlp;
  audience: string;
}

const RANK: Record<Tlp, number> = { clear: 0, green: 1, amber: 2, 'amber+strict': 3, red: 4 };
const ALL_TLP_IDS: ReadonlyArray<readonly [string, Tlp]> = [
  ...Object.entries(TLP2_MARKING_IDS).map(([t, id]) => [id, t as Tlp] as const),
  ...Object.entries(TLP1_MARKING_IDS),
];
/** For each level, the marking ids (TLP 2.0 and 1.0) that say at least that level. */
const AT_LEAST = Object.fromEntries(
  TLP_LEVELS.map((t) => [t, ALL_TLP_IDS.filter(([, u]) => RANK[u] >= RANK[t]).map(([id]) => id)]),
) as Record<Tlp, string[]>;

/** The object's JSON as it leaves Bulwark (see the module comment); the same string when nothing changes. */
export function releasedJson(json: string, held: Held): string {
  const audience = held.tlp === 'clear' ? '' : held.audience;
  if (audience === '') {
    const at = json.lastIndexOf(KEY);
    // No markings at all (no such key at any depth, nor one spelled with \u escapes), compact, and not a
    // marking definition: the marking goes in front of the first key, without parsing.
    if (
      at < 0 &&
      json.charCodeAt(0) === 123 &&
      json.charCodeAt(1) === 34 &&
      !json.includes('"object_marking_refs"') &&
      !json.includes('\\u') &&
      !json.includes('"marking-definition"')
    )
      return `{"object_marking_refs":["${TLP2_MARKING_IDS[held.tlp]}"],${json.slice(1)}`;
    if (marksAtLeast(json, held.tlp, at)) return json;
  }
  const obj = JSON.parse(json) as Record<string, unknown>;
  const out = releasedObject(obj, { tlp: held.tlp, audience });
  return out === obj ? json : JSON.stringify(out);
}

/** The same for a parsed object: `obj` itself when nothing changes, else a copy (keys in their order). */
export function releasedObject(obj: Record<string, unknown>, held: Held): Record<string, unknown> {
  // The TLP definitions themselves are public and never marked.
  if (obj.type === 'marking-definition' && typeof obj.id === 'string' && isTlpMarkingId(obj.id)) return obj;
  const audience = held.tlp === 'clear' ? [] : decodeAudience(held.audience);
  const own = Array.isArray(obj.object_marking_refs) ? (obj.object_marking_refs as unknown[]) : [];
  let ownLevel = -1;
  for (const r of own) {
    const t = typeof r === 'string' ? tlpOfMarkingId(r) : undefined;
    if (t && RANK[t] > ownLevel) ownLevel = RANK[t];
  }
  const addTlp = ownLevel < RANK[held.tlp];
  if (!addTlp && audience.length === 0) return obj;
  const out: Record<string, unknown> = { ...obj };
  if (addTlp) {
    const kept = own.filter((r) => !(typeof r === 'string' && tlpOfMarkingId(r) !== undefined));
    out.object_marking_refs = [...kept, TLP2_MARKING_IDS[held.tlp]];
  }
  if (audience.length > 0) {
    const exts =
      obj.extensions !== null && typeof obj.extensions === 'object' && !Array.isArray(obj.extensions)
        ? (obj.extensions as Record<string, unknown>)
        : {};
    out.extensions = {
      ...exts,
      [RELEASE_EXTENSION_ID]: { extension_type: 'property-extension', tlp: held.tlp, audience },
    };
  }
  return out;
}

/** Whether the object's own top-level `object_marking_refs` name a TLP of at least `tlp` (exact for compact JSON). */
function marksAtLeast(json: string, tlp: Tlp, at: number): boolean {
  const refs = topLevelMarkingRefs(json, at);
  if (refs === undefined) return false;
  const ids = AT_LEAST[tlp];
  return refs.some((r) => ids.includes(r));
}

const KEY = '"object_marking_refs":';

/**
 * The strings of the top-level `object_marking_refs` of a JSON object, cheaply: the key is looked for
 * from the end (where producers put it), and is known to be a key (in valid JSON, `refs":` with an
 * unescaped quote closes a string that a colon follows) and at the top level when, after its array,
 * the first bracket that closes more than it opens is the text's last character. Undefined when the
 * key is absent, nested, or not a plain array of unescaped strings: the caller then parses the text.
 */
export function topLevelMarkingRefs(json: string, at = json.lastIndexOf(KEY)): string[] | undefined {
  if (at <= 0) return undefined;
  let slashes = 0;
  for (let k = at - 1; json.charCodeAt(k) === 92; k--) slashes++;
  if (slashes % 2 !== 0) return undefined;
  const list = stringArray(json, skipSpace(json, at + KEY.length));
  if (!list) return undefined;
  let depth = 1;
  for (let i = list.end; i < json.length;) {
    const c = json.charCodeAt(i);
    if (c === 34) {
      const end = stringEnd(json, i);
      if (end < 0) return undefined;
      i = end + 1;
      continue;
    }
    if (c === 123 || c === 91) depth++;
    else if ((c === 125 || c === 93) && --depth === 0)
      return skipSpace(json, i + 1) === json.length ? list.values : undefined;
    i++;
  }
  return undefined;
}

/** The index of the quote closing the string that opens at `start` (-1 when unterminated). */
function stringEnd(s: string, start: number): number {
  let j = s.indexOf('"', start + 1);
  while (j > 0) {
    let slashes = 0;
    for (let k = j - 1; s.charCodeAt(k) === 92; k--) slashes++;
    if (slashes % 2 === 0) return j;
    j = s.indexOf('"', j + 1);
  }
  return -1;
}

function skipSpace(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
    i++;
  }
  return i;
}

/** The strings of the array that opens at `i`, and the index after it. */
function stringArray(s: string, i: number): { values: string[]; end: number } | undefined {
  if (s.charCodeAt(i) !== 91) return undefined;
  const out: string[] = [];
  i = skipSpace(s, i + 1);
  if (s.charCodeAt(i) === 93) return { values: out, end: i + 1 };
  for (;;) {
    if (s.charCodeAt(i) !== 34) return undefined;
    const end = s.indexOf('"', i + 1);
    if (end < 0) return undefined;
    const v = s.slice(i + 1, end);
    if (v.includes('\\')) return undefined;
    out.push(v);
    i = skipSpace(s, end + 1);
    const c = s.charCodeAt(i);
    if (c === 93) return { values: out, end: i + 1 };
    if (c !== 44) return undefined;
    i = skipSpace(s, i + 1);
  }
}

/** The objects that publish the release extension; stored once, TLP:CLEAR. */
export function releaseExtensionObjects(): Record<string, unknown>[] {
  const clear = [TLP2_MARKING_IDS.clear];
  return [
    {
      type: 'identity',
      spec_version: '2.1',
      id: BULWARK_IDENTITY_ID,
      created: '2026-01-01T00:00:00.000Z',
      modified: '2026-01-01T00:00:00.000Z',
      name: 'Bulwark',
      identity_class: 'system',
      object_marking_refs: clear,
    },
    {
      type: 'extension-definition',
      spec_version: '2.1',
      id: RELEASE_EXTENSION_ID,
      created_by_ref: BULWARK_IDENTITY_ID,
      created: DEFINED_AT,
      modified: DEFINED_AT,
      name: 'Bulwark release',
      version: '1.0.0',
      extension_types: ['property-extension'],
      object_marking_refs: clear,
      description:
        'The release an object is held under in the Bulwark store that shared it: its TLP 2.0 level and the organisations it is restricted to. A receiver must not pass the object on beyond that audience.',
      schema:
        'Properties: extension_type ("property-extension"); tlp (one of green, amber, amber+strict, red: the TLP 2.0 level, which is also in object_marking_refs); audience (array of two-letter organisation codes, at least one: only these organisations, and the author, may read the object). Documented in docs/api.md and docs/taxii-conformance.md of the Bulwark project.',
    },
  ];
}
