import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jsonValueProblem } from './json-limits.ts';

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

describe('jsonValueProblem', () => {
  it('finds a problem exactly when the value nests deeper than the limit, its numbers being storable (property)', () => {
    const safe = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.constant(null),
        fc.boolean(),
        fc.string({ maxLength: 3 }),
        fc.integer(),
        fc.double({ min: -1e15, max: 1e15, noNaN: true }),
        fc.array(tie('v'), { maxLength: 3 }),
        fc.dictionary(fc.string({ maxLength: 3 }), tie('v'), { maxKeys: 3 }),
      ),
    })).v;
    fc.assert(
      fc.property(safe, fc.integer({ min: 0, max: 6 }), (value, max) => {
        expect(jsonValueProblem(value, max) !== undefined).toBe(depth(value) > max);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses what JSON.parse did not keep as sent: -1e999 (-Infinity) and integers beyond 2^53 - 1, naming where', () => {
    expect(jsonValueProblem(JSON.parse('{"a":{"b":[1,-1e999]}}'), 10)).toEqual({
      path: 'a.b[1]',
      message: expect.stringMatching(/beyond the range of a double/),
    });
    expect(jsonValueProblem(JSON.parse('{"n":9007199254740993}'), 10)).toEqual({
      path: 'n',
      message: expect.stringMatching(/2\^53 - 1/),
    });
    expect(jsonValueProblem(JSON.parse('[{"n":-9007199254740992}]'), 10)?.path).toBe('[0].n');
    expect(jsonValueProblem(JSON.parse('1e400'), 10)?.path).toBe('');
    expect(
      jsonValueProblem({ max: Number.MAX_SAFE_INTEGER, min: -Number.MAX_SAFE_INTEGER, f: 0.1, e: 1e-300 }, 10),
    ).toBeUndefined();
  });

  it('stops at the limit on input nested 200,000 levels deep, naming the path from the top', () => {
    const p = jsonValueProblem(JSON.parse(`{"assessment":${'['.repeat(200_000)}${']'.repeat(200_000)}}`), 32);
    expect(p?.message).toBe('is nested deeper than 32 levels');
    expect(p?.path.startsWith('assessment[0][0]')).toBe(true);
    expect(p!.path.length).toBeLessThan(130);
  });
});
