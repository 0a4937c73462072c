import { z } from 'zod';

export const RESPONSE_STATUSES = ['planned', 'in-progress', 'completed'] as const;
export const TASK_STATUSES = ['planned', 'in-progress', 'done', 'declined'] as const;

/** A coordinated response (GET /api/v1/responses): a course of action with one task per member. */
export const ResponseView = z.object({
  id: z.string(),
  title: z.string(),
  target: z.string().nullable(),
  /** null when the reader may not read the course of action (it may be narrower than the response). */
  courseOfAction: z.string().nullable(),
  author: z.string(),
  tlp: z.string(),
  audience: z.array(z.string()),
  status: z.enum(RESPONSE_STATUSES),
  tasks: z.array(
    z.object({ member: z.string(), status: z.string(), note: z.string().nullable(), updatedAt: z.string() }),
  ),
  created: z.string(),
  modified: z.string(),
});
export type ResponseViewT = z.infer<typeof ResponseView>;
