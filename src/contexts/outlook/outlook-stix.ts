/**
 * How outlook records leave Bulwark as STIX 2.1 (docs/outlook.md): new SDO types defined by one
 * published extension-definition, written into the knowledge store beside the outlook tables in the
 * same transaction, so TAXII, export and the stream's replay present them under the same release.
 *
 * Only what the author states is exported: scenarios with priors, signposts with likelihoods, the
 * impact matrix, observations, questions with their options and resolution, ACH hypotheses and
 * ratings. Derived numbers (probabilities, posture, crowd, scores, ranks) are computed by every reader
 * from those by the documented rules, never stored in a shared object. Evidence and source references
 * are left out: a TAXII object is one text for every reader, and a reader of the set may not be a
 * reader of what it cites (the REST API shows each reader the references it may read).
 * Pure: ids and time come in as values.
 */
import { TLP2_MARKING_IDS } from '../../kernel/access/tlp.ts';
import { BULWARK_IDENTITY_ID, organisationIdentityId } from '../sharing/identity.ts';
import type { AchEvidenceRecord, AchMatrix, Observation, Question, ScenarioSet, Signpost } from './outlook.ts';

export const OUTLOOK_EXTENSION_ID = 'extension-definition--a59ab7e9-30c9-4ca1-91b2-6e303f075d2a';
export const STIX_TYPES = {
  set: 'bulwark-scenario-set',
  signpost: 'bulwark-signpost',
  observation: 'bulwark-scenario-observation',
  question: 'bulwark-forecast-question',
  ach: 'bulwark-ach-matrix',
} as const;
export const OUTLOOK_STIX_TYPES: readonly string[] = Object.values(STIX_TYPES);
const DEFINED_AT = '2026-12-03T00:00:00.000Z';

/** The extension definition, stored once at TLP:CLEAR by the server (no author). */
export function outlookExtensionObjects(): Record<string, unknown>[] {
  return [
    {
      type: 'extension-definition',
      spec_version: '2.1',
      id: OUTLOOK_EXTENSION_ID,
      created_by_ref: BULWARK_IDENTITY_ID,
      created: DEFINED_AT,
      modified: DEFINED_AT,
      name: 'Bulwark outlook: scenarios, signposts, forecast questions, ACH',
      version: '1.0.0',
      extension_types: ['new-sdo'],
      object_marking_refs: [TLP2_MARKING_IDS.clear],
      description:
        'Structured analysis shared between alliance members: scenario sets whose probabilities follow observed signposts by Bayes rule, impact matrices, forecast questions and analyses of competing hypotheses.',
      schema:
        'New SDO types bulwark-scenario-set (name, question, horizon, scenarios [{key, name, description, prior}], impacts {member: {scenario key: level 1-5}}), bulwark-signpost (scenario_set_ref, key, name, description, likelihoods {scenario key: P(observed | scenario)}), bulwark-scenario-observation (scenario_set_ref, signpost, observed, evidence_confidence 0.5-1, observed_at, note), bulwark-forecast-question (name, resolution_criteria, closes_at, options, signpost_ref, outcome, resolved_at) and bulwark-ach-matrix (name, description, hypotheses [{key, name}], evidence [{key, name, credibility, relevance, ratings {hypothesis key: CC|C|N|I|II|NA}}]). Documented in docs/outlook.md of the Bulwark project.',
    },
  ];
}

const ext = { [OUTLOOK_EXTENSION_ID]: { extension_type: 'new-sdo' } };

function common(type: string, id: string, author: string, created: string, modified: string, tlp: ScenarioSet['tlp']) {
  return {
    type,
    spec_version: '2.1',
    id,
    created_by_ref: organisationIdentityId(author),
    created,
    modified,
    object_marking_refs: [TLP2_MARKING_IDS[tlp]],
    extensions: ext,
  };
}

/** STIX leaves out empty properties (an empty list is invalid): only what has a value. */
const optional = <T>(k: string, v: T | null | undefined) =>
  v === null ||
  v === undefined ||
  v === '' ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && Object.keys(v).length === 0)
    ? {}
    : { [k]: v };

export function setObject(s: ScenarioSet): Record<string, unknown> {
  return {
    ...common(STIX_TYPES.set, s.id, s.author, s.createdAt, s.updatedAt, s.tlp),
    name: s.title,
    question: s.question,
    horizon: s.horizon,
    scenarios: s.scenarios.map((x) => ({
      key: x.key,
      name: x.title,
      ...optional('description', x.description),
      prior: x.prior,
    })),
    ...optional('impacts', s.impacts),
  };
}

export function signpostObject(s: ScenarioSet, p: Signpost): Record<string, unknown> {
  return {
    ...common(STIX_TYPES.signpost, p.id, s.author, p.createdAt, p.createdAt, s.tlp),
    scenario_set_ref: s.id,
    key: p.key,
    name: p.title,
    ...optional('description', p.description),
    likelihoods: p.likelihoods,
  };
}

export function observationObject(s: ScenarioSet, o: Observation): Record<string, unknown> {
  return {
    ...common(STIX_TYPES.observation, o.id, s.author, o.createdAt, o.createdAt, s.tlp),
    scenario_set_ref: s.id,
    signpost: o.signpost,
    observed: o.observed,
    evidence_confidence: o.confidence,
    observed_at: new Date(o.observedAt).toISOString(),
    ...optional('note', o.note),
  };
}

/** `signpostId`: the STIX id of the linked signpost, when the question observes one. */
export function questionObject(q: Question, signpostId: string | null): Record<string, unknown> {
  return {
    ...common(STIX_TYPES.question, q.id, q.author, q.createdAt, q.updatedAt, q.tlp),
    name: q.title,
    resolution_criteria: q.resolutionCriteria,
    closes_at: new Date(q.closesAt).toISOString(),
    options: q.options,
    ...optional('signpost_ref', signpostId),
    ...optional('outcome', q.outcome),
    ...optional('resolved_at', q.resolvedAt),
  };
}

export function achObject(a: AchMatrix, evidence: readonly AchEvidenceRecord[]): Record<string, unknown> {
  return {
    ...common(STIX_TYPES.ach, a.id, a.author, a.createdAt, a.updatedAt, a.tlp),
    name: a.title,
    ...optional('description', a.description),
    hypotheses: a.hypotheses.map((h) => ({ key: h.key, name: h.title })),
    ...optional(
      'evidence',
      evidence.map((e) => ({
        key: e.key,
        name: e.title,
        credibility: e.credibility,
        relevance: e.relevance,
        ratings: e.ratings,
      })),
    ),
  };
}
