import { z } from 'zod';
import { TLP_LEVELS } from '../../kernel/access/tlp.ts';
import { isOrgCodeShape } from '../sharing/organisations.ts';
import { jsonValueProblem } from '../../platform/json-limits.ts';
import { PROCEDURES, PROPOSAL_KINDS, POSITIONS, STATUSES } from './proposal.ts';

export { PROPOSAL_KINDS };
import { TIME_RANGE_MESSAGE, inStoredTimeRange } from '../../platform/time-range.ts';
import { COUNCIL_TLPS } from './proposal.policy.ts';

/** An empty audience would read as none and widen the release (api.md): refused. */
const orgCode = z
  .string()
  .length(2)
  .transform((s) => s.toUpperCase())
  .refine(isOrgCodeShape, 'must be a two-letter organisation code');
const ref = z.string().min(1).max(200);
const isoTime = z.iso.datetime({ offset: true }).refine(inStoredTimeRange, TIME_RANGE_MESSAGE);

/** Deepest nesting accepted in free-form JSON (a treaty assessment nests 4 levels). */
export const MAX_JSON_DEPTH = 32;
/** A free-form JSON object, bounded in depth so that no later walk (hashing, serialising) exhausts the stack. */
const jsonObject = z
  .record(z.string(), z.unknown())
  .refine(
    (v) => jsonValueProblem(v, MAX_JSON_DEPTH) === undefined,
    `nested deeper than ${MAX_JSON_DEPTH} levels, or holding a number that cannot be stored exactly`,
  );

export const CreateProposalBody = z.object({
  title: z.string().trim().min(1).max(300),
  kind: z.enum(PROPOSAL_KINDS),
  text: z.string().trim().min(1).max(100_000),
  procedure: z.enum(PROCEDURES),
  silenceEndsAt: isoTime.optional(),
  references: z.array(ref).max(200).optional(),
  host: orgCode.optional(),
  assessment: jsonObject.optional(),
  /** Every member takes part, so every member reads it: AMBER or wider (proposal.policy.ts). */
  tlp: z
    .enum(COUNCIL_TLPS, {
      error: 'a council proposal is released to every member: clear, green or amber (default amber)',
    })
    .optional(),
  /** Refused when given (400 naming `audience`): kept in the schema so the refusal says why. */
  audience: z.array(z.string().max(8)).max(64).optional(),
});
export type CreateProposalInput = z.infer<typeof CreateProposalBody>;

/** A position is taken for the user's own member only: the body names no member. */
export const PositionBody = z.strictObject({
  position: z.enum(POSITIONS),
  statement: z.string().trim().min(1).max(20_000).optional(),
});
export type PositionInput = z.infer<typeof PositionBody>;

export const ReviseBody = z.object({
  text: z.string().trim().min(1).max(100_000),
  title: z.string().trim().min(1).max(300).optional(),
  silenceEndsAt: isoTime.optional(),
});
export type ReviseInput = z.infer<typeof ReviseBody>;

export const ListQuery = z.object({
  status: z.enum(STATUSES).optional(),
  kind: z.enum(PROPOSAL_KINDS).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type ListInput = z.infer<typeof ListQuery>;

export const IdParams = z.object({ id: z.string().min(1).max(200) });

export const PositionView = z.object({
  member: z.string(),
  position: z.enum(POSITIONS),
  statement: z.string().nullable(),
  at: z.string(),
  by: z.string(),
});

export const ProposalView = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.enum(PROPOSAL_KINDS),
  text: z.string(),
  procedure: z.enum(PROCEDURES),
  status: z.enum(STATUSES),
  author: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  membershipDate: z.string(),
  membersConcerned: z.number(),
  silenceEndsAt: z.string().nullable(),
  decidedAt: z.string().nullable(),
  host: z.string().nullable(),
  references: z.array(z.string()),
  assessment: z.record(z.string(), z.unknown()).nullable(),
  tlp: z.enum(TLP_LEVELS),
  audience: z.array(z.string()),
  supersedes: z.string().nullable(),
  supersededBy: z.string().nullable(),
  positions: z.array(PositionView),
});
export type ProposalViewT = z.infer<typeof ProposalView>;
