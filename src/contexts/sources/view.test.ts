import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEdits, pairKey, type Pair } from './view.ts';

describe('an organisation view of merges and splits', () => {
  const pairs: Pair[] = [
    { entity: 'A', fold: 'mircea geoana' },
    { entity: 'A', fold: 'geoana' },
    { entity: 'B', fold: 'geanoa' },
    { entity: 'C', fold: 'jens stoltenberg' },
  ];

  it('a merge sends every alias of the other entity to the survivor', () => {
    const v = applyEdits(pairs, [{ op: 'merge', entity: 'A', other: 'B' }]);
    expect(v.get(pairKey(pairs[2]!))).toBe('A');
    expect(v.get(pairKey(pairs[3]!))).toBe('C');
  });

  it('a split moves one alias to a new entity', () => {
    const v = applyEdits(pairs, [{ op: 'split', entity: 'A', fold: 'geoana', newId: 'N' }]);
    expect(v.get(pairKey(pairs[1]!))).toBe('N');
    expect(v.get(pairKey(pairs[0]!))).toBe('A');
  });

  it('a merge then a split of the merged aliases restores the entities (property)', () => {
    const arbPairs = fc.uniqueArray(
      fc.record({ entity: fc.constantFrom('E1', 'E2', 'E3', 'E4'), fold: fc.constantFrom('a', 'b', 'c', 'd', 'e') }),
      { selector: (p) => `${p.entity}/${p.fold}`, minLength: 2, maxLength: 12 },
    );
    fc.assert(
      fc.property(
        arbPairs,
        fc.constantFrom('E1', 'E2', 'E3', 'E4'),
        fc.constantFrom('E1', 'E2', 'E3', 'E4'),
        (ps, a, b) => {
          fc.pre(a !== b && ps.some((p) => p.entity === b) && ps.some((p) => p.entity === a));
          const before = applyEdits(ps, []);
          const moved = [...new Set(ps.filter((p) => p.entity === b).map((p) => p.fold))];
          // Split only aliases that A did not already have itself (a split takes an alias off as a whole).
          fc.pre(moved.every((f) => !ps.some((p) => p.entity === a && p.fold === f)));
          const edits = [
            { op: 'merge' as const, entity: a, other: b },
            ...moved.map((f, i) => ({ op: 'split' as const, entity: a, fold: f, newId: `N${i}` })),
          ];
          const after = applyEdits(ps, edits);
          expect([...after]).toEqual([...before]);
        },
      ),
    );
  });
});
