import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { posture, readinessChanges, readinessOf } from './posture.ts';

describe('posture', () => {
  it('bands the expected threat into readiness, bounds included above', () => {
    expect(readinessOf(1.99)).toBe('normal');
    expect(readinessOf(2)).toBe('elevated');
    expect(readinessOf(2 - 1e-12)).toBe('elevated');
    expect(readinessOf(2.999)).toBe('elevated');
    expect(readinessOf(3)).toBe('high');
    expect(readinessOf(4)).toBe('very-high');
    expect(readinessOf(5)).toBe('very-high');
  });

  it('expected threat is Σ probability·level; drivers are the contributions, largest first', () => {
    const m = posture({ a: 0.5, b: 0.3, c: 0.2 }, { PL: { a: 4, b: 2, c: 5 }, LT: { a: 1, b: 1, c: 1 } });
    expect(m.map((x) => x.member)).toEqual(['LT', 'PL']);
    const pl = m[1]!;
    expect(pl.expectedThreat).toBeCloseTo(2 + 0.6 + 1, 12);
    expect(pl.readiness).toBe('high');
    expect(pl.drivers.map((d) => d.scenario)).toEqual(['a', 'c', 'b']);
    expect(m[0]!.readiness).toBe('normal');
  });

  it('on random inputs: the sum of the drivers, sorted, within the levels', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 2, maxLength: 12 }),
        fc.array(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 12, maxLength: 12 }), {
          minLength: 1,
          maxLength: 9,
        }),
        (w, rows) => {
          const t = w.reduce((a, b) => a + b, 0);
          const p = Object.fromEntries(w.map((x, i) => [`s${i}`, x / t]));
          const impacts = Object.fromEntries(
            rows.map((r, j) => [
              `M${String.fromCharCode(65 + j)}`,
              Object.fromEntries(w.map((_, i) => [`s${i}`, r[i]!])),
            ]),
          );
          for (const m of posture(p, impacts)) {
            const direct = Object.keys(p).reduce((s, k) => s + p[k]! * impacts[m.member]![k]!, 0);
            expect(Math.abs(m.expectedThreat - direct)).toBeLessThan(1e-9);
            expect(m.expectedThreat).toBeGreaterThanOrEqual(1 - 1e-9);
            expect(m.expectedThreat).toBeLessThanOrEqual(5 + 1e-9);
            for (let i = 1; i < m.drivers.length; i++)
              expect(m.drivers[i - 1]!.contribution).toBeGreaterThanOrEqual(m.drivers[i]!.contribution - 1e-9);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reports the members whose readiness changed', () => {
    const before = posture({ a: 0.9, b: 0.1 }, { PL: { a: 1, b: 5 }, LT: { a: 1, b: 1 } });
    const after = posture({ a: 0.1, b: 0.9 }, { PL: { a: 1, b: 5 }, LT: { a: 1, b: 1 } });
    expect(readinessChanges(before, after)).toEqual([{ member: 'PL', from: 'normal', to: 'very-high' }]);
    expect(readinessChanges(after, after)).toEqual([]);
  });
});
