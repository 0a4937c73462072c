import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isRejection, jsonText, type PreparedObject, type Rejection } from './knowledge.ts';
import { packBatch, unpackBatch } from './packed-batch.ts';

const prepared = fc.record({
  index: fc.nat(),
  id: fc.string(),
  version: fc.string(),
  type: fc.string(),
  specVersion: fc.constant('2.1'),
  versionKey: fc.string(),
  json: fc.string({ unit: fc.constantFrom('a', '"', '\\', 'é', '😀', '\u2028') }),
  tlp: fc.constantFrom('clear', 'green', 'amber', 'red' as const),
  audience: fc.string(),
}) satisfies fc.Arbitrary<PreparedObject>;
const rejection = fc.record({
  index: fc.nat(),
  id: fc.option(fc.string(), { nil: undefined }),
  problems: fc.array(fc.record({ property: fc.string(), message: fc.string() }), { maxLength: 2 }),
}) satisfies fc.Arbitrary<Rejection>;

describe('packBatch / unpackBatch', () => {
  it('give back every element in order, with each JSON as UTF-8 bytes of the same text (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(prepared, rejection), { maxLength: 30 }), (results) => {
        const back = unpackBatch(structuredClone(packBatch(results, 7))).results;
        expect(back.map((p) => (isRejection(p) ? p : { ...p, json: jsonText(p.json) }))).toEqual(results);
        expect(back.every((p) => isRejection(p) || p.json instanceof Uint8Array)).toBe(true);
      }),
    );
  });
});
