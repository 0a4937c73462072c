import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GRADES, RATINGS, decisiveEvidence, diagnostic, score, type AchEvidence, type Rating } from './ach.ts';

/** Reference: PARC's weights as a table, ranks by sorting (competition ranking 1, 1, 3). */
const W = { low: 1 / Math.sqrt(2), medium: 1, high: Math.sqrt(2) } as const;
const V = (r: Rating) => (r === 'II' ? -2 : r === 'I' ? -1 : 0);
function reference(hyps: string[], ev: AchEvidence[]) {
  const scores = hyps.map((h) => ({
    key: h,
    inconsistency: ev.reduce((s, e) => s + W[e.credibility] * W[e.relevance] * V(e.ratings[h] ?? 'NA'), 0),
  }));
  const sorted = [...scores].sort((a, b) => b.inconsistency - a.inconsistency);
  return scores.map((s) => {
    const first = sorted.findIndex((t) => Math.abs(t.inconsistency - s.inconsistency) <= 1e-9);
    return { ...s, rank: first + 1 };
  });
}

const matrixArb = fc.integer({ min: 2, max: 10 }).chain((n) => {
  const hyps = Array.from({ length: n }, (_, i) => `h${i}`);
  return fc
    .record({
      hyps: fc.constant(hyps),
      evidence: fc.array(
        fc.record({
          credibility: fc.constantFrom(...GRADES),
          relevance: fc.constantFrom(...GRADES),
          ratings: fc
            .tuple(...hyps.map(() => fc.constantFrom(...RATINGS)))
            .map((rs) => Object.fromEntries(rs.map((r, i) => [hyps[i]!, r]))),
        }),
        { maxLength: 12 },
      ),
    })
    .map(({ hyps: h, evidence }) => ({ hyps: h, evidence: evidence.map((e, i) => ({ ...e, key: `e${i}` })) }));
});

describe('ACH', () => {
  it('weights a worked example as PARC does', () => {
    const ev: AchEvidence[] = [
      { key: 'e1', credibility: 'high', relevance: 'high', ratings: { a: 'II', b: 'C', c: 'I' } },
      { key: 'e2', credibility: 'low', relevance: 'medium', ratings: { a: 'C', b: 'I', c: 'NA' } },
    ];
    const s = score(['a', 'b', 'c'], ev);
    expect(s[0]!.inconsistency).toBeCloseTo(-4, 12);
    expect(s[1]!.inconsistency).toBeCloseTo(-Math.SQRT1_2, 12);
    expect(s[2]!.inconsistency).toBeCloseTo(-2, 12);
    expect(s.map((x) => x.rank)).toEqual([3, 1, 2]);
    expect(diagnostic(['a', 'b', 'c'], ev[1]!)).toBe(true);
    expect(diagnostic(['a', 'b'], { ...ev[0]!, ratings: { a: 'C', b: 'NA' } })).toBe(false);
  });

  it('ties share a rank and the next skips (1, 1, 3)', () => {
    const ev: AchEvidence[] = [
      { key: 'e', credibility: 'medium', relevance: 'medium', ratings: { a: 'C', b: 'N', c: 'I' } },
    ];
    expect(score(['a', 'b', 'c'], ev).map((x) => x.rank)).toEqual([1, 1, 3]);
  });

  it('scores and ranks agree with the reference implementation on random matrices', () => {
    fc.assert(
      fc.property(matrixArb, ({ hyps, evidence }) => {
        const mine = score(hyps, evidence);
        const ref = reference(hyps, evidence);
        mine.forEach((m, i) => {
          expect(Math.abs(m.inconsistency - ref[i]!.inconsistency)).toBeLessThan(1e-9);
          expect(m.rank).toBe(ref[i]!.rank);
        });
        for (const e of evidence) {
          const rated = hyps.map((h) => e.ratings[h]).filter((r) => r !== 'NA');
          expect(diagnostic(hyps, e)).toBe(new Set(rated).size > 1);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('names the evidence whose removal changes the top hypotheses', () => {
    fc.assert(
      fc.property(matrixArb, ({ hyps, evidence }) => {
        const topOf = (ev: AchEvidence[]) =>
          reference(hyps, ev)
            .filter((s) => s.rank === 1)
            .map((s) => s.key)
            .join();
        const expected = evidence.filter((e) => topOf(evidence.filter((x) => x !== e)) !== topOf(evidence));
        expect(decisiveEvidence(hyps, evidence)).toEqual(expected.map((e) => e.key));
      }),
      { numRuns: 200 },
    );
  });
});
