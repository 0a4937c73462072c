/** Rows of the outlook tables (migration 040) and their mapping to the context's records. Pure. */
import { decodeAudience, encodeAudience } from '../../kernel/access/releasability.ts';
import { isTlp } from '../../kernel/access/tlp.ts';
import type { Forecast, Observation, Signpost } from './outlook.ts';

export interface SharedRow {
  id: string;
  title: string;
  author: string;
  tlp: string;
  audience: string;
  created_by: string;
  created_at: string;
  updated_at: string;
  version: number;
}

/** The outlook tables (migration 040); declared here so that the context owns its schema. */
// A type (not an interface) so that it satisfies Kysely's withTables constraint.
export type OutlookTables = {
  outlook_sets: SharedRow & { question: string; horizon: string; scenarios: string; impacts: string };
  outlook_signposts: {
    set_id: string;
    key: string;
    id: string;
    title: string;
    description: string | null;
    likelihoods: string;
    created_at: string;
    seq: number;
  };
  outlook_observations: {
    id: string;
    set_id: string;
    signpost: string;
    observed: number;
    confidence: number;
    observed_at: string;
    evidence: string;
    note: string | null;
    created_at: string;
    created_by: string;
    seq: number;
  };
  outlook_questions: SharedRow & {
    resolution_criteria: string;
    closes_at: string;
    options: string;
    signpost_set: string | null;
    signpost_key: string | null;
    outcome: string | null;
    resolved_at: string | null;
    resolved_by: string | null;
  };
  outlook_forecasts: {
    question_id: string;
    user_id: string;
    user_name: string;
    org: string;
    probabilities: string;
    rationale: string;
    at: string;
    revisions: number;
  };
  outlook_ach: SharedRow & { description: string | null; hypotheses: string };
  outlook_ach_evidence: {
    ach_id: string;
    key: string;
    title: string;
    credibility: string;
    relevance: string;
    ratings: string;
    source: string | null;
    seq: number;
  };
  outlook_proposed_observations: {
    id: string;
    set_id: string;
    question_id: string;
    signpost: string;
    observed: number;
    outcome: string;
    status: string;
    observation_id: string | null;
    created_at: string;
    /** 'question' (a resolved forecast question, question_id) or 'claim' (an open-source claim, its document). */
    origin: string;
    note: string | null;
    confidence: number | null;
  };
};

export const json = (v: unknown) => JSON.stringify(v);
export const released = (r: SharedRow) => ({
  author: r.author,
  tlp: isTlp(r.tlp) ? r.tlp : ('red' as const),
  audience: decodeAudience(r.audience),
});
export const sharedValues = (x: {
  id: string;
  title: string;
  author: string;
  tlp: string;
  audience: string[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}) => ({
  id: x.id,
  title: x.title,
  author: x.author,
  tlp: x.tlp,
  audience: encodeAudience(x.audience),
  created_by: x.createdBy,
  created_at: x.createdAt,
  updated_at: x.updatedAt,
  version: x.version,
});

export function toSignpost(r: OutlookTables['outlook_signposts']): Signpost {
  return {
    id: r.id,
    key: r.key,
    title: r.title,
    description: r.description,
    likelihoods: JSON.parse(r.likelihoods) as Record<string, number>,
    createdAt: r.created_at,
    seq: Number(r.seq),
  };
}

export function toObservation(r: OutlookTables['outlook_observations']): Observation {
  return {
    id: r.id,
    signpost: r.signpost,
    observed: Number(r.observed) === 1,
    confidence: Number(r.confidence),
    observedAt: r.observed_at,
    evidence: JSON.parse(r.evidence) as string[],
    note: r.note,
    createdAt: r.created_at,
    createdBy: r.created_by,
    seq: Number(r.seq),
  };
}

export function toForecast(r: OutlookTables['outlook_forecasts']): Forecast {
  return {
    userId: r.user_id,
    userName: r.user_name,
    org: r.org,
    probabilities: JSON.parse(r.probabilities) as Record<string, number>,
    rationale: r.rationale,
    at: r.at,
  };
}
