import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chooseCandidates, releaseKey, strongestLinks, type Candidate } from './candidates.ts';
import { TLP_LEVELS } from '../../kernel/access/tlp.ts';
import type { Releasable } from '../../kernel/access/releasability.ts';

const codes = ['PL', 'LT', 'US', 'UA'] as const;
const candidate = fc.record({
  id: fc.uuid(),
  release: fc.record({
    author: fc.constantFrom(...codes),
    tlp: fc.constantFrom(...TLP_LEVELS),
    audience: fc.oneof(fc.constant([] as string[]), fc.uniqueArray(fc.constantFrom(...codes), { minLength: 1 })),
  }),
  evidence: fc.integer({ min: 1, max: 4 }),
});
const ids = (cs: Candidate[]) => cs.map((c) => c.id).sort();
const release = (author: string, tlp: Releasable['tlp']): Releasable => ({ author, tlp, audience: [] });

describe('chooseCandidates', () => {
  it('keeps the most evidence per release and bounds each author', () => {
    const r = release('US', 'red');
    const g = release('LT', 'green');
    const chosen = chooseCandidates(
      [
        { id: 'a', release: g, evidence: 1 },
        { id: 'b', release: r, evidence: 2 },
        { id: 'c', release: r, evidence: 2 },
        { id: 'd', release: r, evidence: 3 },
      ],
      2,
      2,
    );
    expect(ids(chosen)).toEqual(['a', 'b', 'd']);
  });

  it('other authors and other releases never change which of a release are chosen (within the author share)', () => {
    fc.assert(
      fc.property(fc.array(candidate, { maxLength: 30 }), fc.array(candidate, { maxLength: 30 }), (mine, others) => {
        const author = 'LT';
        const own = mine.map((c) => ({ ...c, release: { ...c.release, author } }));
        const foreign = others.filter((c) => c.release.author !== author);
        // Per release at most 3, per author at most 1000 (not reached): each release alone decides its own.
        const alone = new Map<string, string[]>();
        for (const c of own) {
          const key = releaseKey(c.release);
          if (!alone.has(key))
            alone.set(
              key,
              ids(
                chooseCandidates(
                  own.filter((o) => releaseKey(o.release) === key),
                  3,
                  1000,
                ),
              ),
            );
        }
        const all = chooseCandidates([...own, ...foreign], 3, 1000);
        for (const [key, chosen] of alone)
          expect(ids(all.filter((c) => releaseKey(c.release) === key))).toEqual(chosen);
        // With a small author share, the author's choice still ignores every other author.
        expect(ids(chooseCandidates([...own, ...foreign], 3, 4).filter((c) => c.release.author === author))).toEqual(
          ids(chooseCandidates(own, 3, 4)),
        );
        for (const a of codes) expect(all.filter((c) => c.release.author === a).length).toBeLessThanOrEqual(1000);
        expect(chooseCandidates([...own, ...foreign], 3, 4).length).toBeLessThanOrEqual(4 * codes.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe('strongestLinks', () => {
  it('keeps the highest scores of each release, fractions included, and every author its own share', () => {
    const us = release('US', 'green');
    const lt = release('LT', 'green');
    const kept = strongestLinks(
      [
        { id: 'a', release: us, score: 0.41 },
        { id: 'b', release: us, score: 0.93 },
        { id: 'c', release: us, score: 0.42 },
        { id: 'd', release: us, score: 0.4 },
        { id: 'e', release: lt, score: 0.1 },
      ],
      2,
    );
    expect([...kept].sort()).toEqual(['b', 'c', 'e']);
  });
});
