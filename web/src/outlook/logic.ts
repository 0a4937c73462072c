/**
 * What the Outlook tab derives from the API's views, in plain words: explanations of each observation,
 * the series of the history chart, the sensitivity sentence, forecast sliders made into probabilities.
 * Pure: no React, no fetch; the numbers themselves come from the server (computed by the contract's rules).
 */
import type {
  AchEvidenceInput,
  AchViewT,
  PostureViewT,
  SensitivityViewT,
  SetViewT,
} from '../../../src/contexts/outlook/outlook.schema.ts';
import { palette } from '../app/theme.ts';

/** 0.3421 → "34.2%". */
export function pct(p: number, digits = 1): string {
  return `${(p * 100).toFixed(digits)}%`;
}

/** +4.21 → "+4.2 points", −0.04 → "−0.0 points" is written "0.0 points". */
export function points(x: number): string {
  const r = Math.round(x * 10) / 10;
  if (r === 0) return '0.0 points';
  return `${r > 0 ? '+' : '−'}${Math.abs(r).toFixed(1)} points`;
}

/** A signed log-odds shift, two decimals. */
export function logOdds(x: number): string {
  const r = Math.round(x * 100) / 100;
  if (r === 0) return '0.00';
  return `${r > 0 ? '+' : '−'}${Math.abs(r).toFixed(2)}`;
}

/** ISO date of an ISO timestamp. */
export const isoDate = (s: string): string => s.slice(0, 10);

export const titleOf = (set: Pick<SetViewT, 'scenarios'>, key: string): string =>
  set.scenarios.find((s) => s.key === key)?.title ?? key;

export interface Explanation {
  observation: string;
  signpost: string;
  signpostTitle: string;
  observed: boolean;
  confidence: number;
  at: string;
  note: string | null;
  evidence: string[];
  /** Largest move first. */
  moves: Array<{ scenario: string; title: string; points: number; logOdds: number; likelihood: number }>;
  /** Why it moved them, in one sentence. */
  why: string;
}

/**
 * For each entry of the history (one per observation, in the order the server applied them): which
 * scenarios it moved, by how much, and why (the signpost's likelihood under each scenario).
 */
export function explanations(set: SetViewT): Explanation[] {
  const byId = new Map(set.observations.map((o) => [o.id, o]));
  const signposts = new Map(set.signposts.map((s) => [s.key, s]));
  return set.history.flatMap((h) => {
    const o = byId.get(h.observation);
    if (!o) return [];
    const sp = signposts.get(o.signpost);
    const likelihoods = sp?.likelihoods ?? {};
    const moves = set.scenarios
      .map((s) => ({
        scenario: s.key,
        title: s.title,
        points: h.shifts[s.key]?.points ?? 0,
        logOdds: h.shifts[s.key]?.logOdds ?? 0,
        likelihood: likelihoods[s.key] ?? Number.NaN,
      }))
      .sort((a, b) => Math.abs(b.points) - Math.abs(a.points) || a.scenario.localeCompare(b.scenario));
    return [
      {
        observation: o.id,
        signpost: o.signpost,
        signpostTitle: sp?.title ?? o.signpost,
        observed: o.observed,
        confidence: o.confidence,
        at: o.observedAt,
        note: o.note,
        evidence: o.evidence,
        moves,
        why: whyItMoved(o.observed, o.confidence, moves),
      },
    ];
  });
}

function whyItMoved(
  observed: boolean,
  confidence: number,
  moves: ReadonlyArray<{ title: string; likelihood: number }>,
): string {
  if (confidence === 0.5) return 'A confidence of 50% carries no information: nothing moved.';
  const known = moves.filter((m) => Number.isFinite(m.likelihood));
  if (known.length === 0) return '';
  const most = known.reduce((a, b) => (b.likelihood > a.likelihood ? b : a));
  const least = known.reduce((a, b) => (b.likelihood < a.likelihood ? b : a));
  const expected = `it was expected with ${pct(most.likelihood, 0)} under “${most.title}” and ${pct(least.likelihood, 0)} under “${least.title}”`;
  const sure = `confidence ${pct(confidence, 0)}`;
  return observed
    ? `Seen (${sure}): ${expected}, so the scenarios that expected it gain.`
    : `Not seen (${sure}): ${expected}, so the scenarios that expected it lose.`;
}

export interface HistoryPoint {
  scenario: string;
  at: Date;
  probability: number;
}

/** The line chart's points: the prior, each observation's result, and today's value, per scenario. */
export function historySeries(set: SetViewT, now: Date): HistoryPoint[] {
  const first = set.history[0]?.at ?? set.createdAt;
  const out: HistoryPoint[] = [];
  for (const s of set.scenarios) {
    out.push({ scenario: s.title, at: new Date(first), probability: s.prior });
    for (const h of set.history)
      out.push({ scenario: s.title, at: new Date(h.at), probability: h.probabilities[s.key] ?? 0 });
    const last = out[out.length - 1]!.at;
    out.push({ scenario: s.title, at: now > last ? now : last, probability: s.probability });
  }
  return out;
}

/** The sensitivity view in words: who leads, and which single observations would change it. */
export function sensitivitySentences(set: SetViewT, s: SensitivityViewT): { leaders: string; decisive: string[] } {
  const names = (keys: readonly string[]) => keys.map((k) => `“${titleOf(set, k)}”`).join(' and ');
  const signposts = new Map(set.signposts.map((x) => [x.key, x.title]));
  return {
    leaders: `${names(s.leaders)} ${s.leaders.length > 1 ? 'share first place' : 'ranks first'}.`,
    decisive: s.decisive.map(
      (d) =>
        `Without the observation of “${signposts.get(d.signpost) ?? d.signpost}” on ${isoDate(d.observedAt)}, ${names(
          d.leadersWithout,
        )} would rank first.`,
    ),
  };
}

/** Readiness colours (the posture chart and the situation map's posture layer). */
export const READINESS_COLOUR: Record<string, string> = {
  normal: palette.ok,
  elevated: palette.warn,
  high: '#ffa26b',
  'very-high': palette.danger,
};

export const READINESS_WORDS: Record<string, string> = {
  normal: 'normal',
  elevated: 'elevated',
  high: 'high',
  'very-high': 'very high',
};

export interface PostureRow {
  member: string;
  levels: Record<string, number>;
  expectedThreat: number;
  readiness: string;
  drivers: Array<{ scenario: string; title: string; contribution: number }>;
}

/** The impact matrix beside each member's posture, in the posture's order (members by code). */
export function postureRows(set: SetViewT, posture: PostureViewT): PostureRow[] {
  return [...posture.members]
    .sort((a, b) => a.member.localeCompare(b.member))
    .map((m) => ({
      member: m.member,
      levels: set.impacts[m.member] ?? {},
      expectedThreat: m.expectedThreat,
      readiness: m.readiness,
      drivers: m.drivers.map((d) => ({ ...d, title: titleOf(set, d.scenario) })),
    }));
}

/**
 * Slider values (any positive weights, one per option) made into a forecast the API accepts: each
 * 0.001–0.999, three decimals, summing to exactly 1 (the rounding remainder goes to the largest).
 */
export function forecastOf(weights: Record<string, number>): Record<string, number> {
  const keys = Object.keys(weights);
  const total = keys.reduce((a, k) => a + Math.max(weights[k]!, 0), 0);
  if (keys.length === 0 || total <= 0) return Object.fromEntries(keys.map((k) => [k, 1 / keys.length]));
  const milli = Object.fromEntries(
    keys.map((k) => [k, Math.min(999, Math.max(1, Math.round((Math.max(weights[k]!, 0) / total) * 1000)))]),
  );
  const sum = keys.reduce((a, k) => a + milli[k]!, 0);
  const largest = keys.reduce((a, k) => (milli[k]! > milli[a]! ? k : a), keys[0]!);
  milli[largest] = milli[largest]! + (1000 - sum);
  return Object.fromEntries(keys.map((k) => [k, milli[k]! / 1000]));
}

/** The hypotheses ranked first (least inconsistent), by title. */
export function leastInconsistent(view: AchViewT): string[] {
  return view.hypotheses.filter((h) => h.rank === 1).map((h) => h.title);
}

export const RATING_WORDS: Record<string, string> = {
  CC: 'CC – very consistent',
  C: 'C – consistent',
  N: 'N – neutral',
  I: 'I – inconsistent',
  II: 'II – very inconsistent',
  NA: 'NA – not applicable',
};

/** The console's own lists (the server's module is not bundled); the compiler holds them to the API's. */
export const RATINGS = ['CC', 'C', 'N', 'I', 'II', 'NA'] as const;
export const GRADES = ['low', 'medium', 'high'] as const;
export type Rating = (typeof RATINGS)[number];
export type Grade = (typeof GRADES)[number];
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const RATINGS_MATCH_API: Same<AchEvidenceInput['ratings'][string], Rating> = true;
export const GRADES_MATCH_API: Same<AchEvidenceInput['credibility'], Grade> = true;

export const SECTIONS = [
  { key: 'scenarios', label: 'Scenarios', prefix: 'bulwark-scenario-set--' },
  { key: 'questions', label: 'Questions', prefix: 'bulwark-forecast-question--' },
  { key: 'ach', label: 'Hypotheses (ACH)', prefix: 'bulwark-ach-matrix--' },
  { key: 'scores', label: 'Scores', prefix: undefined },
] as const;
export type Section = (typeof SECTIONS)[number]['key'];

/** Which section an address names (`#/outlook/questions`) or which an object's id belongs to. */
export function sectionOf(id: string | undefined): { section: Section; selected: string | undefined } {
  if (!id) return { section: 'scenarios', selected: undefined };
  const named = SECTIONS.find((s) => s.key === id);
  if (named) return { section: named.key, selected: undefined };
  const owner = SECTIONS.find((s) => s.prefix !== undefined && id.startsWith(s.prefix));
  return { section: owner?.key ?? 'scenarios', selected: id };
}
