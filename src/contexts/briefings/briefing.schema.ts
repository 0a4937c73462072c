import { z } from 'zod';
import { TLP_LEVELS } from '../../kernel/access/tlp.ts';
import { TIME_RANGE_MESSAGE, inStoredTimeRange } from '../../platform/time-range.ts';
import { FORMATS, periodProblem } from './briefing.ts';

const instant = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error: 'must be a date (YYYY-MM-DD) or an ISO 8601 date-time with offset',
  })
  .refine(inStoredTimeRange, TIME_RANGE_MESSAGE)
  .transform((s) => new Date(s).toISOString());

/** POST /api/v1/briefings (api.md, Briefings): `to` before `from` or a period over a year is a 400 naming `to`. */
export const CreateBriefingBody = z
  .strictObject({
    title: z.string().trim().min(1).max(200).optional(),
    from: instant,
    to: instant,
    format: z.enum(FORMATS).default('markdown'),
  })
  .superRefine((b, ctx) => {
    const p = periodProblem(b.from, b.to);
    if (p) ctx.addIssue({ code: 'custom', path: [p.field], message: p.message });
  });
export type CreateBriefingInput = z.infer<typeof CreateBriefingBody>;

export const BriefingFormatQuery = z.object({ format: z.enum(FORMATS).default('html') });
export const BriefingListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});
export const IdParams = z.object({ id: z.string().min(1).max(200) });

export const BriefingView = z.object({
  id: z.string(),
  title: z.string(),
  from: z.string(),
  to: z.string(),
  org: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  tlp: z.enum(TLP_LEVELS),
  audience: z.array(z.string()),
  sha256: z.string(),
  scheduled: z.boolean(),
  formats: z.array(z.enum(FORMATS)),
});
export type BriefingViewT = z.infer<typeof BriefingView>;
export const BriefingPage = z.object({ items: z.array(BriefingView), next: z.string().nullable() });
