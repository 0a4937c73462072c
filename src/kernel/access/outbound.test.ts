import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RELEASE_EXTENSION_ID, releasedJson, releasedObject, topLevelMarkingRefs } from './outbound.ts';
import { TLP1_MARKING_IDS, TLP2_MARKING_IDS, TLP_LEVELS, tlpOfMarkingId, type Tlp } from './tlp.ts';

const T = TLP2_MARKING_IDS;
const STATEMENT = 'marking-definition--1d2c9f7a-7c2e-4d43-9a0e-4c6a5e0f1b11';
const base = (extra: Record<string, unknown> = {}) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: 'indicator--5a6b3c1e-1111-4222-8333-444455556666',
  created: '2024-01-01T00:00:00.000Z',
  modified: '2024-02-01T00:00:00.000Z',
  pattern: "[domain-name:value = 'evil.example']",
  pattern_type: 'stix',
  valid_from: '2024-01-01T00:00:00Z',
  ...extra,
});
const out = (o: Record<string, unknown>, tlp: Tlp, audience = '') =>
  JSON.parse(releasedJson(JSON.stringify(o), { tlp, audience })) as Record<string, unknown>;
const RANK: Record<Tlp, number> = { clear: 0, green: 1, amber: 2, 'amber+strict': 3, red: 4 };

describe('objects leaving Bulwark carry the release they are held under', () => {
  it('an object without a marking held as AMBER leaves with the TLP:AMBER marking, its modified unchanged', () => {
    const o = base();
    const r = out(o, 'amber');
    expect(r.object_marking_refs).toEqual([T.amber]);
    expect(r).toEqual({ ...o, object_marking_refs: [T.amber] });
    expect(r.modified).toBe(o.modified);
    expect(out(o, 'clear').object_marking_refs).toEqual([T.clear]);
  });

  it('leaves the text untouched when its own marking says the level (TLP 2.0 or 1.0) or a stricter one', () => {
    for (const [own, held] of [
      [T.amber, 'amber'],
      [T.red, 'amber'],
      [Object.keys(TLP1_MARKING_IDS)[2]!, 'amber'],
      [T['amber+strict'], 'amber+strict'],
      [T.clear, 'clear'],
    ] as const) {
      const text = JSON.stringify(base({ object_marking_refs: [STATEMENT, own] }));
      expect(releasedJson(text, { tlp: held, audience: '' })).toBe(text);
    }
  });

  it('replaces a weaker TLP marking of its own and keeps other markings', () => {
    expect(out(base({ object_marking_refs: [T.green, STATEMENT] }), 'amber').object_marking_refs).toEqual([
      STATEMENT,
      T.amber,
    ]);
  });

  it("names the audience in the release extension, beside the object's own extensions; not on TLP:CLEAR, where it restricts nothing", () => {
    const own = {
      'extension-definition--0e8f8c7a-7a8e-4f44-9a17-6d1e35a0aa01': { extension_type: 'property-extension', x: 1 },
    };
    const r = out(base({ object_marking_refs: [T.amber], extensions: own }), 'amber', ',LT,PL,');
    expect(r.extensions).toEqual({
      ...own,
      [RELEASE_EXTENSION_ID]: { extension_type: 'property-extension', tlp: 'amber', audience: ['LT', 'PL'] },
    });
    expect(r.object_marking_refs).toEqual([T.amber]);
    const clear = JSON.stringify(base({ object_marking_refs: [T.clear] }));
    expect(releasedJson(clear, { tlp: 'clear', audience: ',LT,' })).toBe(clear);
  });

  it('is not misled by a key spelled with \\u escapes or spaced out: the result never holds two object_marking_refs', () => {
    const escaped = `{"type":"indicator","id":"indicator--5a6b3c1e-1111-4222-8333-444455556666","obj\\u0065ct_marking_refs":["${T.green}"]}`;
    const spaced = `{"type":"indicator","id":"indicator--5a6b3c1e-1111-4222-8333-444455556666","object_marking_refs" : ["${T.green}"]}`;
    for (const text of [escaped, spaced]) {
      const r = releasedJson(text, { tlp: 'amber', audience: '' });
      expect(r.match(/marking_refs/g)).toHaveLength(1);
      expect((JSON.parse(r) as { object_marking_refs: string[] }).object_marking_refs).toEqual([T.amber]);
    }
  });

  it('never marks the TLP marking definitions themselves', () => {
    const def = {
      type: 'marking-definition',
      spec_version: '2.1',
      id: T.amber,
      created: '2022-10-01T00:00:00.000Z',
      name: 'TLP:AMBER',
      extensions: {},
    };
    expect(releasedObject(def, { tlp: 'clear', audience: '' })).toBe(def);
  });

  it('is not misled by a marking id outside the top-level object_marking_refs', () => {
    const inText = base({ description: `shared as "object_marking_refs":["${T.amber}"] elsewhere` });
    expect(out(inText, 'amber').object_marking_refs).toEqual([T.amber]);
    const nested = base({ x_copy: { object_marking_refs: [T.red] } });
    expect(out(nested, 'amber').object_marking_refs).toEqual([T.amber]);
    const granular = base({
      granular_markings: [{ marking_ref: T.red, selectors: ['description'] }],
      description: 'x',
    });
    expect(out(granular, 'amber').object_marking_refs).toEqual([T.amber]);
    expect(topLevelMarkingRefs(JSON.stringify(base({ name: 'a\\"b\\', object_marking_refs: [T.green] })))).toEqual([
      T.green,
    ]);
  });

  it('for any object and release, the text path equals the object path and the result is marked at least at the held level', () => {
    const marking = fc.constantFrom(...Object.values(T), ...Object.keys(TLP1_MARKING_IDS), STATEMENT);
    const obj = fc
      .record({
        refs: fc.option(fc.uniqueArray(marking, { maxLength: 3 }), { nil: undefined }),
        text: fc.string({ maxLength: 30 }),
        nested: fc.option(fc.uniqueArray(marking, { maxLength: 2 }), { nil: undefined }),
      })
      .map(({ refs, text, nested }) =>
        base({
          description: text,
          ...(refs ? { object_marking_refs: refs } : {}),
          ...(nested ? { x_inner: { object_marking_refs: nested, s: text } } : {}),
        }),
      );
    const audience = fc.subarray(['LT', 'PL', 'US']).map((a) => (a.length ? `,${a.join(',')},` : ''));
    fc.assert(
      fc.property(obj, fc.constantFrom(...TLP_LEVELS), audience, (o, tlp, aud) => {
        const viaText = out(o, tlp, aud);
        expect(viaText).toEqual(JSON.parse(JSON.stringify(releasedObject(o, { tlp, audience: aud }))));
        const levels = (viaText.object_marking_refs as string[])
          .map(tlpOfMarkingId)
          .filter((t): t is Tlp => t !== undefined);
        expect(Math.max(...levels.map((t) => RANK[t]))).toBeGreaterThanOrEqual(RANK[tlp]);
        expect(viaText.modified).toBe(o.modified);
        const ext = (viaText.extensions as Record<string, { audience: string[] }> | undefined)?.[RELEASE_EXTENSION_ID];
        expect(ext?.audience ?? []).toEqual(tlp === 'clear' || aud === '' ? [] : aud.slice(1, -1).split(','));
      }),
      { numRuns: 500 },
    );
  });
});
