import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { depthExceeds, validateStixObject } from './validate.ts';

/** Reference: the nesting depth, by an explicit stack. */
function depth(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    max = Math.max(max, d + 1);
    for (const c of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) stack.push([c, d + 1]);
  }
  return max;
}

describe('depthExceeds', () => {
  it('is true exactly when objects and arrays nest deeper than the limit (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 9 }), (value, max) => {
        expect(depthExceeds(value, max)).toBe(depth(value) > max);
      }),
      { numRuns: 500 },
    );
  });

  it('stops at the limit on input nested 200,000 levels deep', () => {
    const text = '['.repeat(200_000) + ']'.repeat(200_000);
    expect(depthExceeds(JSON.parse(text), 40)).toBe(true);
    expect(depthExceeds({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(depthExceeds({ a: [{ b: {} }] }, 3)).toBe(true);
  });
});

describe('validateStixObject: values that would not be stored as sent', () => {
  const ind = (extra: Record<string, unknown>) => ({
    type: 'indicator',
    spec_version: '2.1',
    id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
    created: '2024-01-01T00:00:00.000Z',
    modified: '2024-01-01T00:00:00.000Z',
    pattern: "[url:value = 'http://x.example/']",
    pattern_type: 'stix',
    valid_from: '2024-01-01T00:00:00Z',
    ...extra,
  });
  const problems = (o: unknown) => {
    const v = validateStixObject(o);
    return v.ok ? [] : v.problems;
  };

  it('refuses -1e999 (parsed as -Infinity, stored as null) and integers beyond 2^53 - 1, naming the property', () => {
    expect(problems(JSON.parse(JSON.stringify(ind({})).replace(/}$/, ',"x_n":-1e999}')))).toEqual([
      { property: 'x_n', message: expect.stringMatching(/range of a double/) },
    ]);
    expect(
      problems(JSON.parse(JSON.stringify(ind({})).replace(/}$/, ',"x_ext":{"count":[9007199254740993]}}'))),
    ).toEqual([{ property: 'x_ext.count[0]', message: expect.stringMatching(/2\^53 - 1/) }]);
    expect(problems(ind({ x_n: Number.MAX_SAFE_INTEGER, x_m: -Number.MAX_SAFE_INTEGER }))).toEqual([]);
  });

  it('refuses timestamps in year 0000 (STIX years are 0001 to 9999)', () => {
    expect(
      problems(ind({ created: '0000-01-01T00:00:00.000Z', modified: '0000-01-01T00:00:00.000Z' })).map(
        (p) => p.property,
      ),
    ).toEqual(['created', 'modified']);
    expect(problems(ind({ valid_from: '0000-12-31T23:59:59Z' })).map((p) => p.property)).toEqual(['valid_from']);
    expect(problems(ind({ created: '0001-01-01T00:00:00Z', modified: '9999-12-31T23:59:59.999Z' }))).toEqual([]);
  });

  it('refuses domain names with empty labels, labels over 63 characters or over 253 characters in all', () => {
    const dn = (value: string) =>
      problems({
        type: 'domain-name',
        spec_version: '2.1',
        id: 'domain-name--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
        value,
      });
    for (const bad of ['a..b', '.a.b', 'a.b..', '.', `${'x'.repeat(64)}.example`, `${'abcdefghi.'.repeat(26)}com`])
      expect(
        dn(bad).map((p) => p.property),
        bad,
      ).toEqual(['value']);
    for (const good of ['a.b', 'example.com.', `${'x'.repeat(63)}.example`, 'xn--bcher-kva.example'])
      expect(dn(good), good).toEqual([]);
  });
});
