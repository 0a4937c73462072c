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

/**
 * The probabilities after each observation and how far each moved each scenario, in flat arrays (step i,
 * scenario j at i·k + j): 10,000 steps of 12 scenarios are three arrays, not 240,000 small objects.
 */
export class History {
  constructor(
    readonly keys: readonly string[],
    readonly length: number,
    readonly probabilities: Float64Array,
    readonly points: Float64Array,
    readonly logOdds: Float64Array,
  ) {}

  /** Step i as records by scenario key (for presentation). */
  step(i: number): HistoryStep {
    const k = this.keys.length;
    const probabilities: Record<string, number> = {};
    const shifts: Record<string, Shift> = {};
    this.keys.forEach((key, j) => {
      probabilities[key] = this.probabilities[i * k + j]!;
      shifts[key] = { points: this.points[i * k + j]!, logOdds: this.logOdds[i * k + j]! };
    });
    return { probabilities, shifts };
  }

  steps(): HistoryStep[] {
    return Array.from({ length: this.length }, (_, i) => this.step(i));
  }
}

/** Normalises log weights into `out` at `at`; returns ln Σ exp(w), so that ln p_j = w_j − that. */
function normaliseInto(w: ArrayLike<number>, out: Float64Array, at: number): number {
  const k = w.length;
  let max = -Infinity;
  for (let j = 0; j < k; j++) if (w[j]! > max) max = w[j]!;
  let sum = 0;
  for (let j = 0; j < k; j++) sum += out[at + j] = Math.exp(w[j]! - max);
  for (let j = 0; j < k; j++) out[at + j]! /= sum;
  return max + Math.log(sum);
}

const logit = (p: number) => Math.log(p) - Math.log1p(-p);

/**
 * The probabilities after each observation, in the order given (the caller sorts by observedAt, then
 * creation), and how far each one moved each scenario from the step before it (the prior for the first):
 * in percentage points, and in log-odds of the scenario against the rest (0 where it did not move).
 */
export function history(model: Model, evidence: readonly Evidence[]): History {
  const k = model.keys.length;
  const n = evidence.length;
  const probabilities = new Float64Array(n * k);
  const points = new Float64Array(n * k);
  const logOdds = new Float64Array(n * k);
  const w = model.priorLogWeights();
  const before = new Float64Array(k);
  normaliseInto(w, before, 0);
  // each step's logit is the next step's "before": one pair of logarithms per entry, not two
  const lastLogit = Float64Array.from(before, logit);
  for (let i = 0; i < n; i++) {
    model.addLog(w, evidence[i]!);
    const at = i * k;
    const lse = normaliseInto(w, probabilities, at);
    for (let j = 0; j < k; j++) {
      const a = probabilities[at + j]!;
      const b = i === 0 ? before[j]! : probabilities[at - k + j]!;
      points[at + j] = 100 * (a - b);
      // logit a = ln a − ln(1 − a), with ln a = w_j − ln Σ exp(w) from the normalisation
      const la = a === b ? lastLogit[j]! : w[j]! - lse - Math.log1p(-a);
      const lo = la - lastLogit[j]!;
      logOdds[at + j] = Number.isFinite(lo) ? lo : 0;
      lastLogit[j] = la;
    }
  }
  return new History(model.keys, n, probabilities, points, logOdds);
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
  const k = model.keys.length;
  // each observation's ln L, kept so that a removal is a subtraction
  const logs = new Float64Array(evidence.length * k);
  const total = model.priorLogWeights();
  evidence.forEach((e, i) => {
    const one = new Array<number>(k).fill(0);
    model.addLog(one, e);
    for (let j = 0; j < k; j++) {
      logs[i * k + j] = one[j]!;
      total[j]! += one[j]!;
    }
  });
  const top = leaders(model.keys, normalise(total));
  const decisive: Decisive[] = [];
  const w = new Array<number>(k);
  for (let i = 0; i < evidence.length; i++) {
    for (let j = 0; j < k; j++) w[j] = total[j]! - logs[i * k + j]!;
    const without = leaders(model.keys, normalise(w));
    if (without.length !== top.length || without.some((key, x) => key !== top[x]))
      decisive.push({ index: i, leadersWithout: without });
  }
  return { leaders: top, decisive };
}
