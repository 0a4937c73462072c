/**
 * Scenario probabilities by Bayes' rule over uncertain observations (api.md, Outlook). Pure.
 *
 * For a scenario whose signpost likelihood is p = P(signpost observed | scenario), an observation with
 * confidence c contributes L = c·p + (1 − c)·(1 − p) when observed and L = c·(1 − p) + (1 − c)·p when
 * not; a scenario's probability is prior·ΠL normalised over the set. Everything is summed in log space
 * (ln prior + Σ ln L) and normalised with log-sum-exp, so 10,000 observations never underflow.
 */

/** Numbers compared for equality (ranks, ties) are equal within this (api.md, Wave 2 contracts). */
export const EPSILON = 1e-9;

export interface ScenarioPrior {
  key: string;
  prior: number;
}

/** Likelihoods by scenario key, each 0 < p < 1. */
export type Likelihoods = Readonly<Record<string, number>>;

export interface Evidence {
  /** Key of the signpost observed (or not). */
  signpost: string;
  observed: boolean;
  /** 0.5 (no information) to 1 (certain). */
  confidence: number;
}

/** The likelihood one observation gives a scenario whose signpost likelihood is p. */
export function likelihood(p: number, observed: boolean, confidence: number): number {
  const c = confidence;
  return observed ? c * p + (1 - c) * (1 - p) : c * (1 - p) + (1 - c) * p;
}

/** Probabilities from unnormalised log weights (log-sum-exp); the sum is 1 up to rounding. */
export function normalise(logWeights: readonly number[]): number[] {
  let max = -Infinity;
  for (const w of logWeights) if (w > max) max = w;
  let sum = 0;
  const out = logWeights.map((w) => {
    const e = Math.exp(w - max);
    sum += e;
    return e;
  });
  for (let i = 0; i < out.length; i++) out[i]! /= sum;
  return out;
}

/**
 * A scenario set compiled for repeated updates: the scenarios in their order and, for every signpost,
 * its likelihood per scenario as an array in that order.
 */
export class Model {
  readonly keys: readonly string[];
  private readonly logPriors: readonly number[];
  private readonly signposts = new Map<string, Float64Array>();

  constructor(scenarios: readonly ScenarioPrior[], signposts: Readonly<Record<string, Likelihoods>>) {
    this.keys = scenarios.map((s) => s.key);
    this.logPriors = scenarios.map((s) => Math.log(s.prior));
    for (const [key, lk] of Object.entries(signposts)) {
      const arr = new Float64Array(this.keys.length);
      this.keys.forEach((k, i) => {
        const p = lk[k];
        if (p === undefined) throw new Error(`signpost ${key} has no likelihood for scenario ${k}`);
        arr[i] = p;
      });
      this.signposts.set(key, arr);
    }
  }

  /** ln prior of each scenario, in scenario order. */
  priorLogWeights(): number[] {
    return [...this.logPriors];
  }

  /** ln L of one observation for each scenario, added into `into` (scenario order). */
  addLog(into: number[], e: Evidence, sign = 1): void {
    const lk = this.signposts.get(e.signpost);
    if (!lk) throw new Error(`unknown signpost ${e.signpost}`);
    for (let i = 0; i < lk.length; i++) into[i]! += sign * Math.log(likelihood(lk[i]!, e.observed, e.confidence));
  }

  /** Unnormalised log posterior after every observation (order does not matter). */
  logPosterior(evidence: Iterable<Evidence>): number[] {
    const w = this.priorLogWeights();
    for (const e of evidence) this.addLog(w, e);
    return w;
  }

  /** Posterior probability of each scenario, by key. */
  posterior(evidence: Iterable<Evidence>): Record<string, number> {
    return this.byKey(normalise(this.logPosterior(evidence)));
  }

  byKey(values: readonly number[]): Record<string, number> {
    const out: Record<string, number> = {};
    this.keys.forEach((k, i) => (out[k] = values[i]!));
    return out;
  }
}

/** How far one observation moved each scenario, in percentage points and in log-odds. */
export interface Shift {
  points: number;
  logOdds: number;
}

export interface HistoryStep {
  probabilities: Record<string, number>;
  shifts: Record<string, Shift>;
}

const logit = (p: number) => Math.log(p) - Math.log1p(-p);

/**
 * The probabilities after each observation, in the order given (the caller sorts by observedAt, then
 * creation), and how far each one moved each scenario from the step before it (the prior for the first).
 */
export function history(model: Model, evidence: readonly Evidence[]): HistoryStep[] {
  const w = model.priorLogWeights();
  let before = normalise(w);
  return evidence.map((e) => {
    model.addLog(w, e);
    const after = normalise(w);
    const shifts: Record<string, Shift> = {};
    model.keys.forEach((k, i) => {
      const a = after[i]!;
      const b = before[i]!;
      // log-odds of a scenario against the rest; equal within rounding reads as no move at all
      const lo = a === b ? 0 : logit(a) - logit(b);
      shifts[k] = { points: 100 * (a - b), logOdds: Number.isFinite(lo) ? lo : 0 };
    });
    before = after;
    return { probabilities: model.byKey(after), shifts };
  });
}

/** The keys whose value is the largest, within EPSILON (ties share first place), in the given order. */
export function leaders(keys: readonly string[], values: readonly number[]): string[] {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  return keys.filter((_, i) => values[i]! >= max - EPSILON);
}

export interface Decisive {
  /** Index of the observation in the order given. */
  index: number;
  /** Scenarios ranked first without it. */
  leadersWithout: string[];
}

/**
 * Sensitivity: the observations whose removal alone would change which scenario ranks first (compared
 * on probabilities within EPSILON). One pass: each removal subtracts its own ln L from the total.
 */
export function sensitivity(model: Model, evidence: readonly Evidence[]): { leaders: string[]; decisive: Decisive[] } {
  const total = model.logPosterior(evidence);
  const top = leaders(model.keys, normalise(total));
  const decisive: Decisive[] = [];
  evidence.forEach((e, index) => {
    const w = [...total];
    model.addLog(w, e, -1);
    const without = leaders(model.keys, normalise(w));
    if (without.length !== top.length || without.some((k, i) => k !== top[i]))
      decisive.push({ index, leadersWithout: without });
  });
  return { leaders: top, decisive };
}
