import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BundleScanner } from '../stix/bundle-scanner.ts';
import { canonicalJson } from '../stix/stix.ts';
import { DEFAULT_LIMITS } from '../stix/validate.ts';
import { BULWARK_IDENTITY_ID, NO_AUTHOR, organisationIdentityId } from '../sharing/identity.ts';
import { isRejection, jsonText, keyCount, prepare, type IngestOptions, type RawItem } from './knowledge.ts';

const opts: IngestOptions = { defaultTlp: 'amber', audience: [], limits: DEFAULT_LIMITS };

/** Elements of a bundle text as `bulwark import` hands them to prepare (scanner text and key count). */
function scanned(bundle: string): RawItem[] {
  const s = new BundleScanner({ maxObjectBytes: DEFAULT_LIMITS.maxObjectBytes, maxDepth: DEFAULT_LIMITS.maxDepth });
  const items = s.push(bundle);
  s.end();
  return items.map((i) =>
    i.kind === 'object'
      ? i.keys === undefined
        ? { index: i.index, text: i.text }
        : { index: i.index, text: i.text, keys: i.keys }
      : { index: i.index, skipped: i.reason },
  );
}

function stored(item: RawItem): string {
  const p = prepare(item, opts);
  if (isRejection(p)) throw new Error(JSON.stringify(p.problems));
  return jsonText(p.json);
}

/** JSON values whose numbers a STIX object may hold: finite and within ±(2^53 - 1) (larger ones are refused). */
const storable = (v: unknown): unknown =>
  typeof v === 'number'
    ? Number.isSafeInteger(Math.trunc(v))
      ? v
      : v % 1e6 || 0
    : Array.isArray(v)
      ? v.map(storable)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, storable(x)]))
        : v;

const customKey = fc
  .string({ unit: fc.constantFrom('a', 'b', '_', '"', '\\', ':', ' ', 'é', '\u2028'), minLength: 1, maxLength: 6 })
  .map((k) => `x_${k}`);
const stixObject = fc
  .record({
    uuid: fc.uuid({ version: 4 }),
    name: fc.string({ maxLength: 20 }),
    extra: fc.dictionary(customKey, fc.jsonValue({ maxDepth: 3 }).map(storable), { maxKeys: 4 }),
  })
  .map(({ uuid, name, extra }) => ({
    type: 'malware',
    spec_version: '2.1',
    id: `malware--${uuid}`,
    created: '2024-01-01T00:00:00.000Z',
    modified: '2024-01-01T00:00:00.000Z',
    name,
    is_family: false,
    ...extra,
  }));

describe('prepare: the stored text', () => {
  it('is the element as it came when compact, else the value serialised; both hold exactly the parsed value (property)', () => {
    fc.assert(
      fc.property(stixObject, (obj) => {
        const compact = JSON.stringify(obj);
        const escaped = compact.replace(/é/g, '\\u00e9'); // the same value, another text; still compact
        const duplicated = `{"name":"decoy",${compact.slice(1)}`; // the later "name" wins in JSON.parse
        const pretty = JSON.stringify(obj, null, 2);
        const [a, b, c, d] = scanned(
          `{"type":"bundle","objects":[${compact},${escaped},${duplicated},\n${pretty}]}`,
        ).map(stored);
        expect(a).toBe(compact);
        expect(b).toBe(escaped);
        // Text with a duplicate key or whitespace is serialised again: what is stored has no duplicate.
        expect(c).toBe(JSON.stringify(JSON.parse(duplicated)));
        expect(d).toBe(compact);
        for (const text of [a, b, c, d]) expect(canonicalJson(JSON.parse(text!))).toBe(canonicalJson(obj));
        expect(JSON.parse(c!)).not.toHaveProperty('name', 'decoy');
      }),
      { numRuns: 300 },
    );
  });

  it('serialises a parsed value, and a text given without a key count', () => {
    const obj = {
      type: 'malware',
      spec_version: '2.1',
      id: 'malware--6b7f8e1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b',
      created: '2024-01-01T00:00:00Z',
      modified: '2024-01-01T00:00:00Z',
      is_family: true,
      x_n: 1.0e2,
    };
    const text =
      '{"type":"malware","spec_version":"2.1","id":"malware--6b7f8e1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b","created":"2024-01-01T00:00:00Z","modified":"2024-01-01T00:00:00Z","is_family":true,"x_n":1.0e2}';
    expect(stored({ index: 0, value: obj })).toBe(JSON.stringify(obj));
    expect(stored({ index: 0, text })).toBe(JSON.stringify(obj));
    expect(stored({ index: 0, text, keys: keyCount(obj) })).toBe(text);
    expect(stored({ index: 0, text, keys: keyCount(obj) + 1 })).toBe(JSON.stringify(obj));
  });
});

describe('keyCount', () => {
  it('counts keys at every level', () => {
    expect(keyCount({ a: 1, b: { c: [{ d: 1 }, 2, { e: { f: null } }] } })).toBe(6);
    expect(keyCount([1, 'x', null])).toBe(0);
  });
});

describe('prepare: what a writer may not store', () => {
  const malware = (extra: string) =>
    `{"type":"malware","spec_version":"2.1","id":"malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","name":"m","is_family":false${extra}}`;
  const problemsOf = (item: RawItem, author = 'PL') => {
    const p = prepare(item, { ...opts, author });
    return isRejection(p) ? p.problems : [];
  };

  it('a bundle element with -1e999 or an integer beyond 2^53 - 1 is refused naming the property, from text as from a value', () => {
    for (const [extra, property] of [
      [',"x_n":-1e999', 'x_n'],
      [',"x_ids":[1,9007199254740993]', 'x_ids[1]'],
      [',"x_o":{"n":-18446744073709551616}', 'x_o.n'],
    ] as const) {
      for (const item of [
        ...scanned(`{"objects":[${malware(extra)}]}`),
        { index: 0, text: ` ${malware(extra)}` },
        { index: 0, value: JSON.parse(malware(extra)) },
      ]) {
        expect(problemsOf(item), extra).toEqual([{ property, message: expect.any(String) }]);
      }
    }
    expect(problemsOf({ index: 0, text: malware(',"x_n":9007199254740991') })).toEqual([]);
  });

  it("created_by_ref may not name the server's identity or another organisation's; nor may a writer store those identities", () => {
    const by = (ref: string) => ({ index: 0, text: malware(`,"created_by_ref":"${ref}"`) });
    expect(problemsOf(by(BULWARK_IDENTITY_ID))).toEqual([
      { property: 'created_by_ref', message: expect.stringMatching(/server's own identity/) },
    ]);
    expect(problemsOf(by(organisationIdentityId('LT')))).toEqual([
      { property: 'created_by_ref', message: expect.stringMatching(/organisation LT/) },
    ]);
    expect(problemsOf(by(organisationIdentityId('PL')))).toEqual([]);
    expect(problemsOf(by('identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'))).toEqual([]);
    // The server publishes its own objects under its identity.
    expect(problemsOf(by(BULWARK_IDENTITY_ID), NO_AUTHOR)).toEqual([]);
    const identity = (id: string) => ({
      index: 0,
      value: {
        type: 'identity',
        spec_version: '2.1',
        id,
        created: '2024-01-01T00:00:00.000Z',
        modified: '2024-01-01T00:00:00.000Z',
        name: 'Lithuania',
        identity_class: 'organization',
      },
    });
    expect(problemsOf(identity(organisationIdentityId('LT')))).toEqual([
      { property: 'id', message: expect.stringMatching(/organisation LT/) },
    ]);
    expect(problemsOf(identity(BULWARK_IDENTITY_ID))).toEqual([
      { property: 'id', message: expect.stringMatching(/server's own identity/) },
    ]);
    expect(problemsOf(identity(organisationIdentityId('LT')), 'LT')).toEqual([]);
  });
});

describe('object size limit on write', () => {
  // The limit compared the text's length (UTF-16 units), so an object of 1.5 Mi "€" (4.5 MiB stored)
  // passed a 4 MiB limit.
  it('counts the bytes an object takes as stored (UTF-8), not its characters', () => {
    const identity = (description: string) => ({
      index: 0,
      value: {
        type: 'identity',
        spec_version: '2.1',
        id: 'identity--0b6e8c1a-1111-4222-8333-444455556666',
        created: '2024-01-01T00:00:00.000Z',
        modified: '2024-01-01T00:00:00.000Z',
        name: 'n',
        description,
      },
    });
    const opts = { defaultTlp: 'amber' as const, audience: [], limits: DEFAULT_LIMITS };
    const wide = prepare(identity('€'.repeat(1.5 * 1024 * 1024)), opts);
    expect(isRejection(wide) && wide.problems[0]!.message).toBe(`larger than ${DEFAULT_LIMITS.maxObjectBytes} bytes`);
    expect(isRejection(prepare(identity('e'.repeat(1.5 * 1024 * 1024)), opts))).toBe(false);
  });
});
