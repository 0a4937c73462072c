import { z } from 'zod';
import { SECTORS } from './humanitarian.ts';
import { isArea } from './codes.ts';
import { IdParams, MoneyView, ReleaseView, audience, httpUrl, instant, money, page, tlp } from './registers.schema.ts';

export { IdParams };

const people = z.number().int('must be a whole number').min(0, 'must not be negative').max(1e10);
export const area = z
  .string()
  .min(2)
  .max(6)
  .transform((s) => s.toUpperCase())
  .refine(isArea, 'must be an ISO 3166 country (UA) or subdivision (UA-14) code');

/** POST /api/v1/humanitarian/needs (api.md, Registers). */
export const CreateNeedBody = z.strictObject({
  area,
  sector: z.enum(SECTORS),
  peopleInNeed: people,
  peopleReached: people.optional(),
  fundingRequired: money.optional(),
  fundingReceived: money.optional(),
  asOf: instant,
  source: httpUrl,
  tlp,
  audience,
});
export type CreateNeedInput = z.infer<typeof CreateNeedBody>;

export const NeedListQuery = z.object({ area: area.optional(), sector: z.enum(SECTORS).optional(), ...page });
export type NeedListQueryT = z.infer<typeof NeedListQuery>;

export const NeedView = z.object({
  id: z.string(),
  author: z.string(),
  area: z.string(),
  sector: z.enum(SECTORS),
  peopleInNeed: z.number(),
  peopleReached: z.number().nullable(),
  fundingRequired: MoneyView.nullable(),
  fundingReceived: MoneyView.nullable(),
  asOf: z.string(),
  source: z.string(),
  ...ReleaseView,
  createdBy: z.string(),
  created: z.string(),
  modified: z.string(),
});
export type NeedViewT = z.infer<typeof NeedView>;
export const NeedPage = z.object({ items: z.array(NeedView), next: z.string().nullable() });

export const GapView = z.object({
  country: z.string(),
  currency: z.string(),
  required: z.number(),
  received: z.number(),
  unmet: z.number(),
  supportPledged: z.number(),
  supportAllocated: z.number(),
  supportDelivered: z.number(),
  uncovered: z.number(),
});
/** GET /api/v1/humanitarian/summary: the latest per area and sector, and the gap to support where both exist. */
export const NeedSummaryView = z.object({ items: z.array(NeedView), gaps: z.array(GapView) });
export type NeedSummaryViewT = z.infer<typeof NeedSummaryView>;
