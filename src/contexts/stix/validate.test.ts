import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { depthExceeds } from './validate.ts';

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
