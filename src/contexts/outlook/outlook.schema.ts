/**
 * Request and response bodies of the outlook context (api.md, Outlook sections), shared by the routes,
 * the CLI and the console. Every refusal names the field: a zod path (`scenarios`, `likelihoods.war`,
 * `probabilities`) or, for what needs the stored set, the service's own validation error.
 */
import { z } from 'zod';
import { TLP_LEVELS } from '../../kernel/access/tlp.ts';
import { isIdentifier } from '../stix/stix.ts';
import { TIME_RANGE_MESSAGE, inStoredTimeRange } from '../../platform/time-range.ts';
import { GRADES, RATINGS } from './ach.ts';
import { READINESS } from './posture.ts';

/** Sums are checked within this (api.md: priors and forecasts sum to 1 ± 1e-6). */
export const SUM_TOLERANCE = 1e-6;
export const MAX_SIGNPOSTS = 500;
export const MAX_OBSERVATIONS = 20_000;
export const MAX_ACH_EVIDENCE = 300;
export const MAX_OPTIONS = 20;
export const MAX_EVIDENCE_REFS = 50;

const KEY_SHAPE = /^[a-z][a-z0-9-]{0,39}$/;
export const key = z
  .string()
  .max(40)
  .regex(KEY_SHAPE, 'must match ^[a-z][a-z0-9-]{0,39}$ (a lower-case letter, then letters, digits or hyphens)');
const title = z.string().trim().min(1).max(300);
const text = (max: number) => z.string().trim().max(max);
const isoTime = z.iso.datetime({ offset: true }).refine(inStoredTimeRange, TIME_RANGE_MESSAGE);
const stixId = z
  .string()
  .max(300)
  .refine((s) => isIdentifier(s), 'must be a STIX id such as incident--<uuid>');
/** An empty audience would read as none and widen the release: refused by the service, naming `audience`. */
const release = {
  tlp: z.enum(TLP_LEVELS),
  audience: z.array(z.string().max(8)).max(64).optional(),
};

function duplicates(keys: readonly string[]): string[] {
  const seen = new Set<string>();
  return [...new Set(keys.filter((k) => seen.size === seen.add(k).size))];
}
const sumsToOne = (xs: readonly number[]) => Math.abs(xs.reduce((a, b) => a + b, 0) - 1) <= SUM_TOLERANCE;

// ---- scenario sets ----

export const ScenarioInput = z.object({
  key,
  title,
  description: text(5000).optional(),
  prior: z.number().gt(0, 'must be greater than 0').max(1),
});

export const CreateSetBody = z.object({
  title,
  question: z.string().trim().min(1).max(2000),
  horizon: z.iso.date(),
  scenarios: z
    .array(ScenarioInput)
    .min(2, 'needs 2 to 12 scenarios')
    .max(12, 'needs 2 to 12 scenarios')
    .superRefine((ss, ctx) => {
      const dup = duplicates(ss.map((s) => s.key));
      if (dup.length > 0) ctx.addIssue({ code: 'custom', message: `duplicate keys: ${dup.join(', ')}` });
      if (!sumsToOne(ss.map((s) => s.prior)))
        ctx.addIssue({ code: 'custom', message: 'priors must sum to 1 (within 1e-6)' });
    }),
  ...release,
});
export type CreateSetInput = z.infer<typeof CreateSetBody>;

const probability01 = z
  .number()
  .gt(0, 'a likelihood must be strictly between 0 and 1')
  .lt(1, 'a likelihood must be strictly between 0 and 1');

export const SignpostBody = z.object({
  key,
  title,
  description: text(5000).optional(),
  likelihoods: z.record(z.string().max(40), probability01),
});
export type SignpostInput = z.infer<typeof SignpostBody>;

export const ObservationBody = z.object({
  signpost: key,
  observed: z.boolean(),
  confidence: z.number().min(0.5).max(1).default(1),
  observedAt: isoTime,
  evidence: z
    .array(stixId)
    .max(MAX_EVIDENCE_REFS)
    .refine((ids) => duplicates(ids).length === 0, 'lists an id twice')
    .optional(),
  note: text(5000).optional(),
});
export type ObservationInput = z.infer<typeof ObservationBody>;

/** Levels and names are checked against the set by the service, which names `impacts.<member>.<scenario>`. */
export const ImpactsBody = z
  .record(z.string().max(8), z.record(z.string().max(40), z.unknown()))
  .refine((m) => Object.keys(m).length <= 64, 'names more than 64 members');
export type ImpactsInput = z.infer<typeof ImpactsBody>;

export const SetParams = z.object({ id: z.string().min(5).max(300) });
export const ProposalParams = z.object({ id: z.string().min(5).max(300), proposal: z.string().min(5).max(300) });

export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});
export type ListQueryT = z.infer<typeof ListQuery>;

const Release = { author: z.string(), tlp: z.enum(TLP_LEVELS), audience: z.array(z.string()) };

export const SignpostView = z.object({
  key: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  likelihoods: z.record(z.string(), z.number()),
});
export const ObservationView = z.object({
  id: z.string(),
  signpost: z.string(),
  observed: z.boolean(),
  confidence: z.number(),
  observedAt: z.string(),
  evidence: z.array(z.string()),
  note: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
});
export const ObservationCreated = ObservationView.extend({
  probabilities: z.record(z.string(), z.number()),
});
export type ObservationCreatedT = z.infer<typeof ObservationCreated>;

const Shift = z.object({ points: z.number(), logOdds: z.number() });
export const SetView = z.object({
  id: z.string(),
  title: z.string(),
  question: z.string(),
  horizon: z.string(),
  ...Release,
  createdAt: z.string(),
  updatedAt: z.string(),
  scenarios: z.array(
    z.object({
      key: z.string(),
      title: z.string(),
      description: z.string().nullable(),
      prior: z.number(),
      probability: z.number(),
    }),
  ),
  signposts: z.array(SignpostView),
  observations: z.array(ObservationView),
  history: z.array(
    z.object({
      observation: z.string(),
      at: z.string(),
      probabilities: z.record(z.string(), z.number()),
      shifts: z.record(z.string(), Shift),
    }),
  ),
  impacts: z.record(z.string(), z.record(z.string(), z.number())),
});
export type SetViewT = z.infer<typeof SetView>;
export const SetSummary = SetView.pick({
  id: true,
  title: true,
  question: true,
  horizon: true,
  author: true,
  tlp: true,
  audience: true,
  createdAt: true,
  updatedAt: true,
}).extend({
  scenarios: z.array(z.object({ key: z.string(), title: z.string(), probability: z.number() })),
});
export type SetSummaryT = z.infer<typeof SetSummary>;

export const PostureView = z.object({
  id: z.string(),
  members: z.array(
    z.object({
      member: z.string(),
      expectedThreat: z.number(),
      readiness: z.enum(READINESS),
      drivers: z.array(z.object({ scenario: z.string(), contribution: z.number() })),
    }),
  ),
});
export type PostureViewT = z.infer<typeof PostureView>;

export const SensitivityView = z.object({
  id: z.string(),
  leaders: z.array(z.string()),
  decisive: z.array(
    z.object({
      observation: z.string(),
      signpost: z.string(),
      observedAt: z.string(),
      leadersWithout: z.array(z.string()),
    }),
  ),
});
export type SensitivityViewT = z.infer<typeof SensitivityView>;

export const ProposedObservationView = z.object({
  id: z.string(),
  set: z.string(),
  question: z.string(),
  signpost: z.string(),
  observed: z.boolean(),
  outcome: z.string(),
  status: z.enum(['proposed', 'accepted', 'dismissed']),
  createdAt: z.string(),
  observation: z.string().nullable(),
  /** What proposes it: a resolved question (`question`), or an open-source claim (`question` is its document). */
  origin: z.enum(['question', 'claim']).optional(),
  note: z.string().nullable().optional(),
});
export type ProposedObservationViewT = z.infer<typeof ProposedObservationView>;

// ---- forecast questions ----

export const CreateQuestionBody = z.object({
  title,
  resolutionCriteria: z.string().trim().min(1).max(5000),
  closesAt: isoTime,
  options: z
    .array(z.string().trim().min(1).max(100))
    .min(2)
    .max(MAX_OPTIONS)
    .refine((o) => duplicates(o).length === 0, 'options must be distinct')
    .refine((o) => !o.includes('annulled'), '"annulled" is reserved for annulment')
    .optional(),
  /** A signpost of a scenario set this binary question observes: on resolution, yes/no is proposed as an observation. */
  signpost: z.object({ set: z.string().min(5).max(300), key }).optional(),
  ...release,
});
export type CreateQuestionInput = z.infer<typeof CreateQuestionBody>;

export const ForecastBody = z.object({
  probabilities: z
    .record(z.string().max(100), z.number().min(0.001).max(0.999))
    .refine((p) => sumsToOne(Object.values(p)), 'must sum to 1 (within 1e-6)'),
  rationale: z.string().trim().min(1, 'a rationale is required').max(10_000),
});
export type ForecastInput = z.infer<typeof ForecastBody>;

export const ResolutionBody = z.object({ outcome: z.string().trim().min(1).max(100) });
export type ResolutionInput = z.infer<typeof ResolutionBody>;

export const QuestionView = z.object({
  id: z.string(),
  title: z.string(),
  resolutionCriteria: z.string(),
  closesAt: z.string(),
  options: z.array(z.string()),
  ...Release,
  createdAt: z.string(),
  createdBy: z.string(),
  status: z.enum(['open', 'closed', 'resolved', 'annulled']),
  signpost: z.object({ set: z.string(), key: z.string() }).nullable(),
  forecasters: z.number(),
  crowd: z.record(z.string(), z.number()).nullable(),
  myForecast: z
    .object({ probabilities: z.record(z.string(), z.number()), rationale: z.string(), at: z.string() })
    .nullable(),
  resolution: z.object({ outcome: z.string(), at: z.string(), by: z.string() }).optional(),
  scores: z.array(z.object({ user: z.string(), member: z.string(), brier: z.number(), log: z.number() })).optional(),
});
export type QuestionViewT = z.infer<typeof QuestionView>;

export const CalibrationBin = z.object({
  from: z.number(),
  to: z.number(),
  forecasts: z.number(),
  observed: z.number().nullable(),
});
export const ScoresView = z.object({
  items: z.array(
    z.object({
      user: z.string(),
      member: z.string(),
      questions: z.number(),
      meanBrier: z.number().nullable(),
      calibration: z.array(CalibrationBin),
    }),
  ),
});
export type ScoresViewT = z.infer<typeof ScoresView>;

// ---- ACH ----

export const CreateAchBody = z.object({
  title,
  description: text(5000).optional(),
  hypotheses: z
    .array(z.object({ key, title }))
    .min(2, 'needs 2 to 10 hypotheses')
    .max(10, 'needs 2 to 10 hypotheses')
    .refine((hs) => duplicates(hs.map((h) => h.key)).length === 0, 'hypothesis keys must be distinct'),
  ...release,
});
export type CreateAchInput = z.infer<typeof CreateAchBody>;

export const AchEvidenceBody = z.object({
  key,
  title,
  credibility: z.enum(GRADES),
  relevance: z.enum(GRADES),
  ratings: z.record(z.string().max(40), z.enum(RATINGS)),
  source: stixId.optional(),
});
export type AchEvidenceInput = z.infer<typeof AchEvidenceBody>;
export const AchEvidenceParams = z.object({ id: z.string().min(5).max(300), key });

export const AchView = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  ...Release,
  createdAt: z.string(),
  updatedAt: z.string(),
  hypotheses: z.array(z.object({ key: z.string(), title: z.string(), inconsistency: z.number(), rank: z.number() })),
  evidence: z.array(
    z.object({
      key: z.string(),
      title: z.string(),
      credibility: z.enum(GRADES),
      relevance: z.enum(GRADES),
      ratings: z.record(z.string(), z.enum(RATINGS)),
      source: z.string().nullable(),
      diagnostic: z.boolean(),
    }),
  ),
  /** Evidence whose removal alone would change which hypotheses rank first. */
  decisive: z.array(z.string()),
});
export type AchViewT = z.infer<typeof AchView>;
export const AchSummary = AchView.pick({
  id: true,
  title: true,
  author: true,
  tlp: true,
  audience: true,
  createdAt: true,
  updatedAt: true,
}).extend({ hypotheses: z.number(), evidence: z.number() });
export type AchSummaryT = z.infer<typeof AchSummary>;

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), next: z.string().nullable() });
