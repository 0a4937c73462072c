import { z } from 'zod';
import { EVENT_KINDS, EVENT_STATUSES } from './diplomacy.ts';
import { IdParams, ReleaseView, audience, httpUrl, instant, page, tlp } from './registers.schema.ts';

export { IdParams };

const party = z.string().trim().min(1).max(200);

/** POST /api/v1/diplomacy/events (api.md, Registers). Parties are free text. */
export const CreateEventBody = z
  .strictObject({
    title: z.string().trim().min(1).max(300),
    kind: z.enum(EVENT_KINDS),
    startedAt: instant,
    endedAt: instant.optional(),
    parties: z.array(party).min(1, 'names at least one party').max(100),
    status: z.enum(EVENT_STATUSES),
    summary: z.string().trim().min(1).max(20_000),
    sources: z.array(httpUrl).min(1, 'names at least one source').max(50),
    tlp,
    audience,
  })
  .refine((b) => b.endedAt === undefined || b.endedAt >= b.startedAt, {
    path: ['endedAt'],
    message: 'must not be before startedAt',
  });
export type CreateEventInput = z.infer<typeof CreateEventBody>;

export const EventListQuery = z
  .object({
    from: instant.optional(),
    to: instant.optional(),
    kind: z.enum(EVENT_KINDS).optional(),
    ...page,
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.to >= q.from, {
    path: ['to'],
    message: 'must not be before from',
  });
export type EventListQueryT = z.infer<typeof EventListQuery>;

export const EventView = z.object({
  id: z.string(),
  author: z.string(),
  title: z.string(),
  kind: z.enum(EVENT_KINDS),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  parties: z.array(z.string()),
  status: z.enum(EVENT_STATUSES),
  summary: z.string(),
  sources: z.array(z.string()),
  ...ReleaseView,
  createdBy: z.string(),
  created: z.string(),
  modified: z.string(),
});
export type EventViewT = z.infer<typeof EventView>;
export const EventPage = z.object({ items: z.array(EventView), next: z.string().nullable() });
