import { z } from 'zod';
import { AVENUES, GRADE_PATTERN, SUPPORT_STATUSES } from './support.ts';
import {
  IdParams,
  MoneyView,
  ReleaseView,
  audience,
  httpUrl,
  instant,
  money,
  orgCode,
  page,
  tlp,
} from './registers.schema.ts';

export { IdParams, AVENUES, SUPPORT_STATUSES };

/** POST /api/v1/support (api.md, Registers). The provider is the writer's organisation. */
export const CreateSupportBody = z.strictObject({
  recipient: orgCode,
  avenue: z.enum(AVENUES),
  description: z.string().trim().min(1).max(10_000),
  amount: money.optional(),
  pledgedAt: instant,
  status: z.enum(SUPPORT_STATUSES),
  source: httpUrl.optional(),
  /** Admiralty grade of the source ("B2"), an addition to the contract. */
  sourceGrade: z
    .string()
    .length(2)
    .regex(GRADE_PATTERN, 'must be a reliability A-F and a credibility 1-6, e.g. B2')
    .optional(),
  tlp,
  audience,
});
export type CreateSupportInput = z.infer<typeof CreateSupportBody>;

/** PATCH /api/v1/support/{id}: forward only (409 otherwise), the history kept. */
export const PatchSupportBody = z.strictObject({ status: z.enum(SUPPORT_STATUSES), at: instant });
export type PatchSupportInput = z.infer<typeof PatchSupportBody>;

export const SupportListQuery = z.object({
  recipient: orgCode.optional(),
  provider: orgCode.optional(),
  avenue: z.enum(AVENUES).optional(),
  status: z.enum(SUPPORT_STATUSES).optional(),
  ...page,
});
export type SupportListQueryT = z.infer<typeof SupportListQuery>;

export const SupportSummaryQuery = z.object({ recipient: orgCode.optional() });

export const SupportView = z.object({
  id: z.string(),
  provider: z.string(),
  recipient: z.string(),
  avenue: z.enum(AVENUES),
  description: z.string(),
  amount: MoneyView.nullable(),
  pledgedAt: z.string(),
  status: z.enum(SUPPORT_STATUSES),
  source: z.string().nullable(),
  sourceGrade: z.string().nullable(),
  ...ReleaseView,
  createdBy: z.string(),
  created: z.string(),
  modified: z.string(),
  history: z.array(z.object({ status: z.enum(SUPPORT_STATUSES), at: z.string(), by: z.string() })),
});
export type SupportViewT = z.infer<typeof SupportView>;

export const SupportPage = z.object({ items: z.array(SupportView), next: z.string().nullable() });

const AmountsView = z.object({
  currency: z.string(),
  pledged: z.number(),
  allocated: z.number(),
  delivered: z.number(),
});
export const SupportSummaryView = z.object({
  byAvenue: z.array(z.object({ avenue: z.enum(AVENUES), entries: z.number(), amounts: z.array(AmountsView) })),
  byProvider: z.array(z.object({ provider: z.string(), entries: z.number(), amounts: z.array(AmountsView) })),
});
export type SupportSummaryViewT = z.infer<typeof SupportSummaryView>;
