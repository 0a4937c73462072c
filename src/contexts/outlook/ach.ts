/**
 * Analysis of Competing Hypotheses (api.md, Outlook: ACH), PARC's weighting. Pure.
 * inconsistency(h) = Σ over evidence of w(credibility)·w(relevance)·v(rating), w: low 1/√2, medium 1,
 * high √2; v: II −2, I −1, anything else 0. Rank 1 is the least inconsistent (nearest 0); equal scores
 * (within EPSILON) share a rank and the next rank skips (1, 1, 3).
 */
import { EPSILON } from './bayes.ts';

export const RATINGS = ['CC', 'C', 'N', 'I', 'II', 'NA'] as const;
export type Rating = (typeof RATINGS)[number];
export const GRADES = ['low', 'medium', 'high'] as const;
export type Grade = (typeof GRADES)[number];

export const WEIGHT: Record<Grade, number> = { low: Math.SQRT1_2, medium: 1, high: Math.SQRT2 };
export const VALUE: Record<Rating, number> = { CC: 0, C: 0, N: 0, I: -1, II: -2, NA: 0 };

export interface AchEvidence {
  key: string;
  credibility: Grade;
  relevance: Grade;
  /** Rating per hypothesis key; a missing one counts as NA. */
  ratings: Readonly<Record<string, Rating>>;
}

export interface HypothesisScore {
  key: string;
  inconsistency: number;
  rank: number;
}

export function inconsistency(hypothesis: string, evidence: readonly AchEvidence[]): number {
  let s = 0;
  for (const e of evidence) s += WEIGHT[e.credibility] * WEIGHT[e.relevance] * VALUE[e.ratings[hypothesis] ?? 'NA'];
  return s;
}

/** Competition ranks of scores where larger (nearer 0) is better, ties within EPSILON. */
export function ranks(scores: readonly number[]): number[] {
  return scores.map((s) => 1 + scores.filter((t) => t > s + EPSILON).length);
}

/** Every hypothesis with its inconsistency and rank, in the order given. */
export function score(hypotheses: readonly string[], evidence: readonly AchEvidence[]): HypothesisScore[] {
  const values = hypotheses.map((h) => inconsistency(h, evidence));
  const r = ranks(values);
  return hypotheses.map((key, i) => ({ key, inconsistency: values[i]!, rank: r[i]! }));
}

/** Evidence is diagnostic when its ratings (NA ignored) are not all the same. */
export function diagnostic(hypotheses: readonly string[], e: AchEvidence): boolean {
  const seen = new Set(hypotheses.map((h) => e.ratings[h] ?? 'NA').filter((r) => r !== 'NA'));
  return seen.size > 1;
}

/** The hypotheses ranked first. */
export function top(scores: readonly HypothesisScore[]): string[] {
  return scores.filter((s) => s.rank === 1).map((s) => s.key);
}

/** Keys of the evidence whose removal alone would change which hypotheses rank first. */
export function decisiveEvidence(hypotheses: readonly string[], evidence: readonly AchEvidence[]): string[] {
  const first = top(score(hypotheses, evidence)).join('\n');
  return evidence
    .filter(
      (e) =>
        top(
          score(
            hypotheses,
            evidence.filter((x) => x !== e),
          ),
        ).join('\n') !== first,
    )
    .map((e) => e.key);
}
