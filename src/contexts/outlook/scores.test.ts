import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { binOf, brier, calibration, crowd, logScore } from './scores.ts';

/** Reference implementations, written from the contract's wording, independent of scores.ts. */
const refBrier = (options: string[], f: Record<string, number>, outcome: string) =>
  options.map((o) => Math.pow(f[o]! - (o === outcome ? 1 : 0), 2)).reduce((a, b) => a + b, 0);
const refBin = (p: number) => {
  for (let k = 0; k < 10; k++) if (p < (k + 1) / 10) return k;
  return 9;
};

/** A forecast over 2–6 options, each ≥ 0.001, summing to 1. */
const forecastArb = fc.integer({ min: 2, max: 6 }).chain((n) =>
  fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: n, maxLength: n }).map((w) => {
    const t = w.reduce((a, b) => a + b, 0);
    const options = w.map((_, i) => `o${i}`);
    return { options, f: Object.fromEntries(w.map((x, i) => [options[i]!, x / t])) };
  }),
);

describe('forecast scores', () => {
  it('score a 50 % binary forecast 0.5 (Brier) and ln 0.5 (log); perfect is 0, worst 2', () => {
    expect(brier(['yes', 'no'], { yes: 0.5, no: 0.5 }, 'yes')).toBe(0.5);
    expect(logScore({ yes: 0.5, no: 0.5 }, 'yes')).toBe(Math.log(0.5));
    expect(brier(['yes', 'no'], { yes: 1, no: 0 }, 'yes')).toBe(0);
    expect(brier(['yes', 'no'], { yes: 0, no: 1 }, 'yes')).toBe(2);
    expect(brier(['a', 'b', 'c'], { a: 0.7, b: 0.2, c: 0.1 }, 'b')).toBeCloseTo(0.49 + 0.64 + 0.01, 12);
  });

  it('agree with the reference on random forecasts and stay within their bounds', () => {
    fc.assert(
      fc.property(forecastArb, fc.nat(), ({ options, f }, pick) => {
        const outcome = options[pick % options.length]!;
        const b = brier(options, f, outcome);
        expect(Math.abs(b - refBrier(options, f, outcome))).toBeLessThan(1e-12);
        expect(b).toBeGreaterThanOrEqual(0);
        expect(b).toBeLessThanOrEqual(2);
        expect(logScore(f, outcome)).toBeCloseTo(Math.log(f[outcome]!), 12);
        expect(logScore(f, outcome)).toBeLessThanOrEqual(0);
      }),
      { numRuns: 500 },
    );
  });

  it('the crowd is the mean per option, null without forecasts, and sums to 1', () => {
    expect(crowd(['yes', 'no'], [])).toBeNull();
    fc.assert(
      fc.property(
        forecastArb.chain(({ options }) =>
          fc.tuple(
            fc.constant(options),
            fc.array(
              forecastArb.filter((x) => x.options.length === options.length).map((x) => x.f),
              {
                minLength: 1,
                maxLength: 8,
              },
            ),
          ),
        ),
        ([options, fs]) => {
          const c = crowd(options, fs)!;
          for (const o of options) expect(c[o]).toBeCloseTo(fs.reduce((s, f) => s + f[o]!, 0) / fs.length, 12);
          expect(Object.values(c).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('calibration bins are [k/10, (k+1)/10) with 1 in the last, against the reference', () => {
    expect(binOf(0)).toBe(0);
    expect(binOf(0.1)).toBe(1);
    expect(binOf(0.3)).toBe(3);
    expect(binOf(0.7)).toBe(7);
    expect(binOf(0.999)).toBe(9);
    expect(binOf(1)).toBe(9);
    fc.assert(
      fc.property(
        fc.array(fc.record({ p: fc.integer({ min: 1, max: 999 }).map((x) => x / 1000), yes: fc.boolean() }), {
          maxLength: 60,
        }),
        (points) => {
          const bins = calibration(points);
          expect(bins).toHaveLength(10);
          bins.forEach((b, k) => {
            const mine = points.filter((x) => refBin(x.p) === k);
            expect(b.from).toBeCloseTo(k / 10, 12);
            expect(b.to).toBeCloseTo((k + 1) / 10, 12);
            expect(b.forecasts).toBe(mine.length);
            expect(b.observed).toBe(mine.length === 0 ? null : mine.filter((x) => x.yes).length / mine.length);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
