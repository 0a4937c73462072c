import { z } from 'zod';
import { NATURES, TARGET_KINDS } from './assessment.ts';
import { PURPOSES, MISSING_KEYS } from './deployment.ts';
import { AREA_CLAUSES } from './geography.ts';
import { isOrgCodeShape } from '../sharing/organisations.ts';
import { TIME_RANGE_MESSAGE, inStoredTimeRange } from '../../platform/time-range.ts';

/** Zod schemas of the treaty surfaces (REST and CLI share them). */
const code = z
  .string()
  .length(2, 'must be an ISO 3166 alpha-2 code such as PL')
  .refine(isOrgCodeShape, 'must be two upper-case letters such as PL');
/** An ISO date (YYYY-MM-DD) or date-time with offset; the engine works on the UTC calendar date. */
const instant = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error: 'must be an ISO 8601 date or date-time, e.g. 2023-01-15T00:00:00Z',
  })
  .refine(inStoredTimeRange, TIME_RANGE_MESSAGE);
const calendarDay = z.iso
  .date({ error: 'must be an ISO 8601 date (YYYY-MM-DD)' })
  .refine(inStoredTimeRange, TIME_RANGE_MESSAGE);

export const AssessmentBody = z.object({
  occurredAt: instant,
  location: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }),
  target: z.object({ party: code, kind: z.enum(TARGET_KINDS) }),
  nature: z.enum(NATURES),
});
export type AssessmentBody = z.infer<typeof AssessmentBody>;

export const Reason = z.object({ rule: z.string(), citation: z.string(), text: z.string() });

export const AssessmentResponse = z.object({
  article5: z.enum(['covered', 'not-covered', 'council-decision']),
  article4: z.enum(['available', 'not-available']),
  partyIsMember: z.boolean(),
  inTreatyArea: z.boolean(),
  area: z.enum(AREA_CLAUSES).nullable(),
  reasons: z.array(Reason),
  location: z.object({
    date: z.string(),
    onLand: z.boolean(),
    sea: z.enum(['mediterranean', 'north-atlantic']).nullable(),
    territories: z.array(
      z.object({
        unit: z.string(),
        state: z.string().nullable(),
        clause: z.enum(AREA_CLAUSES).nullable(),
        territorialSea: z.boolean(),
        distanceKm: z.number(),
      }),
    ),
  }),
});

export const DeploymentBody = z.object({
  host: code,
  date: instant,
  purpose: z.enum(PURPOSES),
  formalRequest: z.boolean(),
  councilDecision: z.string().min(1).max(200).optional(),
});
export type DeploymentBody = z.infer<typeof DeploymentBody>;

export const DeploymentResponse = z.object({
  permitted: z.boolean(),
  missing: z.array(z.enum(MISSING_KEYS)),
  hostIsMember: z.boolean(),
  reasons: z.array(Reason),
});

export const MembersQuery = z.object({ on: calendarDay });
const Org = z.object({ code: z.string(), name: z.string(), joined: z.string().nullable() });
export const MembersResponse = z.object({
  on: z.string(),
  count: z.number(),
  parties: z.array(Org),
  partners: z.array(Org.extend({ kind: z.enum(['member', 'partner']) })),
});

export const AreasQuery = z.object({ winding: z.enum(['rfc7946', 'd3']).default('rfc7946') });
