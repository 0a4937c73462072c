/**
 * The outlook context's records and the derived views computed from them (probabilities, history,
 * posture, sensitivity, ACH scores, question status). Pure: time comes in as a value.
 */
import type { Tlp } from '../../kernel/access/tlp.ts';
import { Model, history, normalise, sensitivity, type Evidence, type History } from './bayes.ts';
import { posture, type MemberPosture } from './posture.ts';
import type { AchEvidence } from './ach.ts';

export interface Released {
  author: string;
  tlp: Tlp;
  audience: string[];
}

export interface Scenario {
  key: string;
  title: string;
  description: string | null;
  prior: number;
}

export interface ScenarioSet extends Released {
  id: string;
  title: string;
  question: string;
  horizon: string;
  scenarios: Scenario[];
  impacts: Record<string, Record<string, number>>;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface Signpost {
  id: string;
  key: string;
  title: string;
  description: string | null;
  likelihoods: Record<string, number>;
  createdAt: string;
  seq: number;
}

export interface Observation {
  id: string;
  signpost: string;
  observed: boolean;
  confidence: number;
  observedAt: string;
  evidence: string[];
  note: string | null;
  createdAt: string;
  createdBy: string;
  seq: number;
}

/** A set with everything it is computed from; observations in observedAt order, then creation. */
export interface SetState {
  set: ScenarioSet;
  signposts: Signpost[];
  observations: Observation[];
}

export function byObservedAt(a: Observation, b: Observation): number {
  const t = Date.parse(a.observedAt) - Date.parse(b.observedAt);
  return t !== 0 ? t : a.seq - b.seq;
}

export function modelOf(s: SetState): Model {
  return new Model(s.set.scenarios, Object.fromEntries(s.signposts.map((p) => [p.key, p.likelihoods])));
}

const evidenceOf = (o: Observation): Evidence => ({
  signpost: o.signpost,
  observed: o.observed,
  confidence: o.confidence,
});

export interface Computed {
  probabilities: Record<string, number>;
  history: History;
}

/** Probabilities now and after each observation. */
export function compute(s: SetState): Computed {
  const model = modelOf(s);
  const steps = history(model, s.observations.map(evidenceOf));
  return {
    probabilities:
      steps.length > 0 ? steps.step(steps.length - 1).probabilities : model.byKey(normalise(model.priorLogWeights())),
    history: steps,
  };
}

/** Probabilities only (no history): what posture and lists need. */
export function probabilitiesOf(s: SetState): Record<string, number> {
  return modelOf(s).posterior(s.observations.map(evidenceOf));
}

export function postureOf(s: SetState, probabilities = probabilitiesOf(s)): MemberPosture[] {
  return posture(probabilities, s.set.impacts);
}

export function sensitivityOf(s: SetState): {
  leaders: string[];
  decisive: Array<{ observation: Observation; leadersWithout: string[] }>;
} {
  const r = sensitivity(modelOf(s), s.observations.map(evidenceOf));
  return {
    leaders: r.leaders,
    decisive: r.decisive.map((d) => ({ observation: s.observations[d.index]!, leadersWithout: d.leadersWithout })),
  };
}

// ---- forecast questions ----

export interface Question extends Released {
  id: string;
  title: string;
  resolutionCriteria: string;
  closesAt: string;
  options: string[];
  signpost: { set: string; key: string } | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** An option, or "annulled"; null while unresolved. */
  outcome: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  version: number;
}

export interface Forecast {
  userId: string;
  userName: string;
  org: string;
  probabilities: Record<string, number>;
  rationale: string;
  at: string;
}

export const ANNULLED = 'annulled';
export type QuestionStatus = 'open' | 'closed' | 'resolved' | 'annulled';

export function statusOf(q: Question, now: Date): QuestionStatus {
  if (q.outcome === ANNULLED) return 'annulled';
  if (q.outcome !== null) return 'resolved';
  return now.getTime() >= Date.parse(q.closesAt) ? 'closed' : 'open';
}

export function isBinary(q: Pick<Question, 'options'>): boolean {
  return q.options.length === 2 && q.options.includes('yes') && q.options.includes('no');
}

// ---- ACH ----

export interface AchMatrix extends Released {
  id: string;
  title: string;
  description: string | null;
  hypotheses: Array<{ key: string; title: string }>;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface AchEvidenceRecord extends AchEvidence {
  title: string;
  source: string | null;
  seq: number;
}

/** The `modified` of a new version: now, or 1 ms after `prev` when the clock has not moved past it. */
export function nextTime(now: Date, prev: string): string {
  const t = now.toISOString();
  return t > prev ? t : new Date(Date.parse(prev) + 1).toISOString();
}

/**
 * What is wrong with an impact matrix, naming the field: every member a member organisation of the
 * alliance, every scenario of the set for each member, each level an integer 1–5.
 */
export function impactsProblem(
  impacts: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
  scenarioKeys: readonly string[],
  isMember: (code: string) => boolean,
): { field: string; message: string } | undefined {
  const keys = new Set(scenarioKeys);
  for (const [member, row] of Object.entries(impacts)) {
    if (!isMember(member)) return { field: `impacts.${member}`, message: 'is not a member organisation' };
    for (const [k, level] of Object.entries(row)) {
      if (!keys.has(k)) return { field: `impacts.${member}.${k}`, message: 'is not a scenario of this set' };
      if (typeof level !== 'number' || !Number.isInteger(level) || level < 1 || level > 5)
        return { field: `impacts.${member}.${k}`, message: 'must be an integer level from 1 to 5' };
    }
    const missing = scenarioKeys.filter((k) => !(k in row));
    if (missing.length > 0)
      return { field: 'impacts', message: `${member} has no level for scenario ${missing.join(', ')}` };
  }
  return undefined;
}

/** What is wrong with a signpost's likelihoods: one for every scenario, none for anything else. */
export function likelihoodsProblem(
  likelihoods: Readonly<Record<string, number>>,
  scenarioKeys: readonly string[],
): { field: string; message: string } | undefined {
  const keys = new Set(scenarioKeys);
  const unknown = Object.keys(likelihoods).find((k) => !keys.has(k));
  if (unknown !== undefined) return { field: `likelihoods.${unknown}`, message: 'is not a scenario of this set' };
  const missing = scenarioKeys.filter((k) => !(k in likelihoods));
  if (missing.length > 0) return { field: 'likelihoods', message: `needs a likelihood for ${missing.join(', ')}` };
  return undefined;
}
