import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { commonByClass, readersOf, type ReleaseClass } from './correlation.ts';
import { TLP_LEVELS } from '../../kernel/access/tlp.ts';
import type { Releasable } from '../../kernel/access/releasability.ts';

const codes = ['PL', 'LT', 'US', 'UA', 'FI'] as const;
const release = fc.record({
  author: fc.constantFrom(...codes),
  tlp: fc.constantFrom(...TLP_LEVELS),
  audience: fc.oneof(fc.constant([] as string[]), fc.uniqueArray(fc.constantFrom(...codes), { minLength: 1 })),
});
const cls = fc
  .record({ r: release, n: fc.integer({ min: 1, max: 4 }) })
  .map(({ r, n }): ReleaseClass => ({ ...r, incidents: n }));

describe('commonByClass', () => {
  it('counts only carriers every reader of the link reads', () => {
    const x: Releasable = { author: 'LT', tlp: 'green', audience: [] };
    const classes: ReleaseClass[] = [
      { author: 'LT', tlp: 'green', audience: [], incidents: 2 },
      { author: 'US', tlp: 'red', audience: [], incidents: 3 },
    ];
    // Between LT's green incidents: the US red carriers are hidden from most readers, 2 is not more than 2.
    // Towards a US red incident: its one reader (US) reads all five.
    expect(commonByClass(x, classes, 2)).toEqual([false, true]);
    expect(commonByClass(x, classes, 5)).toEqual([false, false]);
  });

  it('a carrier hidden from some reader of a link never changes that link', () => {
    fc.assert(
      fc.property(release, fc.array(cls, { minLength: 1, maxLength: 6 }), cls, (x, classes, hidden) => {
        const before = commonByClass(x, classes, 3);
        const after = commonByClass(x, [...classes, hidden], 3);
        const hiddenReaders = new Set(readersOf(hidden));
        classes.forEach((c, i) => {
          const linkReaders = readersOf(x).filter((o) => readersOf(c).includes(o));
          // Some reader of the link X–c may not read the added carriers: the verdict for c must not move.
          if (linkReaders.length > 0 && linkReaders.some((o) => !hiddenReaders.has(o)))
            expect(after[i], JSON.stringify({ x, c, hidden })).toBe(before[i]);
        });
      }),
      { numRuns: 500 },
    );
  });
});
