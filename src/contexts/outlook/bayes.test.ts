import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EPSILON, Model, history, leaders, likelihood, sensitivity, type Evidence } from './bayes.ts';

/** A random set: 2–12 scenarios with priors summing to 1, a few signposts, observations of them. */
const setArb = fc.integer({ min: 2, max: 12 }).chain((n) =>
  fc
    .record({
      weights: fc.array(fc.double({ min: 0.01, max: 10, noNaN: true }), { minLength: n, maxLength: n }),
      signposts: fc.array(
        fc.array(fc.double({ min: 0.001, max: 0.999, noNaN: true }), { minLength: n, maxLength: n }),
        { minLength: 1, maxLength: 6 },
      ),
    })
    .chain(({ weights, signposts }) =>
      fc.record({
        weights: fc.constant(weights),
        signposts: fc.constant(signposts),
        evidence: fc.array(
          fc.record({
            signpost: fc.integer({ min: 0, max: signposts.length - 1 }).map((i) => `s${i}`),
            observed: fc.boolean(),
            confidence: fc.double({ min: 0.5, max: 1, noNaN: true }),
          }),
          { maxLength: 40 },
        ),
      }),
    ),
);

function build(x: { weights: number[]; signposts: number[][] }) {
  const total = x.weights.reduce((a, b) => a + b, 0);
  const scenarios = x.weights.map((w, i) => ({ key: `k${i}`, prior: w / total }));
  const signposts = Object.fromEntries(
    x.signposts.map((ps, j) => [`s${j}`, Object.fromEntries(ps.map((p, i) => [`k${i}`, p]))]),
  );
  return { scenarios, signposts, model: new Model(scenarios, signposts) };
}

/** The rule as api.md writes it, in plain products (no logs): prior·ΠL, normalised. */
function direct(
  scenarios: Array<{ key: string; prior: number }>,
  signposts: Record<string, Record<string, number>>,
  evidence: Evidence[],
): Record<string, number> {
  const w: Record<string, number> = {};
  for (const s of scenarios) {
    let v = s.prior;
    for (const e of evidence) {
      const p = signposts[e.signpost]![s.key]!;
      const c = e.confidence;
      v *= e.observed ? c * p + (1 - c) * (1 - p) : c * (1 - p) + (1 - c) * p;
    }
    w[s.key] = v;
  }
  const sum = Object.values(w).reduce((a, b) => a + b, 0);
  return Object.fromEntries(Object.entries(w).map(([k, v]) => [k, v / sum]));
}

const close = (a: Record<string, number>, b: Record<string, number>) => {
  expect(Object.keys(a)).toEqual(Object.keys(b));
  for (const k of Object.keys(a)) expect(Math.abs(a[k]! - b[k]!)).toBeLessThan(EPSILON);
};

describe('the update rule', () => {
  it('gives the likelihoods of the contract', () => {
    expect(likelihood(0.8, true, 1)).toBeCloseTo(0.8, 15);
    expect(likelihood(0.8, false, 1)).toBeCloseTo(0.2, 15);
    expect(likelihood(0.8, true, 0.75)).toBeCloseTo(0.75 * 0.8 + 0.25 * 0.2, 15);
    expect(likelihood(0.8, false, 0.75)).toBeCloseTo(0.75 * 0.2 + 0.25 * 0.8, 15);
    expect(likelihood(0.3, true, 0.5)).toBe(0.5);
  });

  it('worked example: two scenarios, one certain observation', () => {
    const m = new Model(
      [
        { key: 'a', prior: 0.5 },
        { key: 'b', prior: 0.5 },
      ],
      { s: { a: 0.9, b: 0.3 } },
    );
    const p = m.posterior([{ signpost: 's', observed: true, confidence: 1 }]);
    expect(p.a).toBeCloseTo(0.75, 12);
    expect(p.b).toBeCloseTo(0.25, 12);
  });

  it('agrees with a direct computation on random sets (within 1e-9)', () => {
    fc.assert(
      fc.property(setArb, (x) => {
        const { scenarios, signposts, model } = build(x);
        close(model.posterior(x.evidence), direct(scenarios, signposts, x.evidence));
      }),
      { numRuns: 300 },
    );
  });

  it('sums to 1 and stays in [0, 1]', () => {
    fc.assert(
      fc.property(setArb, (x) => {
        const p = Object.values(build(x).model.posterior(x.evidence));
        expect(Math.abs(p.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(EPSILON);
        for (const v of p) expect(v >= 0 && v <= 1).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on the order of the observations', () => {
    fc.assert(
      fc.property(
        setArb.chain((x) =>
          fc.tuple(fc.constant(x), fc.shuffledSubarray(x.evidence, { minLength: x.evidence.length })),
        ),
        ([x, shuffled]) => {
          const { model } = build(x);
          close(model.posterior(x.evidence), model.posterior(shuffled));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('an observation with confidence 0.5 changes nothing, observed or not', () => {
    fc.assert(
      fc.property(setArb, fc.boolean(), fc.nat(), (x, observed, at) => {
        const { model } = build(x);
        const half: Evidence = { signpost: 's0', observed, confidence: 0.5 };
        const i = x.evidence.length === 0 ? 0 : at % (x.evidence.length + 1);
        const withHalf = [...x.evidence.slice(0, i), half, ...x.evidence.slice(i)];
        close(model.posterior(withHalf), model.posterior(x.evidence));
      }),
      { numRuns: 300 },
    );
  });

  it('stays finite and normalised with 10,000 observations, where plain products underflow', () => {
    const m = new Model(
      [
        { key: 'a', prior: 0.5 },
        { key: 'b', prior: 0.5 },
      ],
      { s: { a: 0.01, b: 0.02 } },
    );
    const ev = Array.from({ length: 10_000 }, () => ({ signpost: 's', observed: true, confidence: 1 }));
    const p = m.posterior(ev);
    // ln(0.02/0.01) · 10,000 ≫ 745: b certain, a exactly 0 in floating point, no NaN
    expect(p.b).toBe(1);
    expect(p.a).toBe(0);
  });
});

describe('history and explanations', () => {
  it('ends at the posterior, and each step moves from the one before', () => {
    fc.assert(
      fc.property(setArb, (x) => {
        const { model, scenarios } = build(x);
        const h = history(model, x.evidence).steps();
        expect(h).toHaveLength(x.evidence.length);
        if (h.length === 0) return;
        close(h[h.length - 1]!.probabilities, model.posterior(x.evidence));
        let before = Object.fromEntries(scenarios.map((s) => [s.key, s.prior]));
        for (const step of h) {
          for (const k of Object.keys(before)) {
            const a = step.probabilities[k]!;
            expect(step.shifts[k]!.points).toBeCloseTo(100 * (a - before[k]!), 9);
          }
          before = step.probabilities;
        }
      }),
      { numRuns: 200 },
    );
  });

  it('reports the move in log-odds', () => {
    const m = new Model(
      [
        { key: 'a', prior: 0.5 },
        { key: 'b', prior: 0.5 },
      ],
      { s: { a: 0.9, b: 0.3 } },
    );
    const [step] = history(m, [{ signpost: 's', observed: true, confidence: 1 }]).steps();
    expect(step!.shifts.a!.points).toBeCloseTo(25, 9);
    expect(step!.shifts.a!.logOdds).toBeCloseTo(Math.log(3), 9);
    expect(step!.shifts.b!.logOdds).toBeCloseTo(-Math.log(3), 9);
  });
});

describe('sensitivity', () => {
  it('names exactly the observations whose removal changes the leaders (against recomputing without each)', () => {
    fc.assert(
      fc.property(setArb, (x) => {
        const { scenarios, signposts, model } = build(x);
        const s = sensitivity(model, x.evidence);
        const keys = scenarios.map((sc) => sc.key);
        const lead = (ev: Evidence[]) => {
          const p = direct(scenarios, signposts, ev);
          return leaders(
            keys,
            keys.map((k) => p[k]!),
          );
        };
        expect(s.leaders).toEqual(lead(x.evidence));
        const expected = x.evidence.flatMap((_, i) => {
          const without = lead(x.evidence.filter((__, j) => j !== i));
          return without.join() === s.leaders.join() ? [] : [{ index: i, leadersWithout: without }];
        });
        expect(s.decisive).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
