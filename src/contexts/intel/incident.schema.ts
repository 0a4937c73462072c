import { z } from 'zod';
import { TLP_LEVELS } from '../../kernel/access/tlp.ts';
import { isOrgCodeShape } from '../sharing/organisations.ts';
import { CATEGORIES, RELIABILITY } from './incident.ts';
import { MAX_OBSERVABLE_LENGTH, OBSERVABLE_TYPES } from './observable.ts';
import { TIME_RANGE_MESSAGE, inStoredTimeRange } from '../../platform/time-range.ts';

/** An empty audience would read as none and widen the release (api.md): refused. */
const EMPTY_AUDIENCE = 'names no organisation; leave audience out for none';
const orgCode = z
  .string()
  .length(2)
  .transform((s) => s.toUpperCase())
  .refine(isOrgCodeShape, 'must be a two-letter organisation code');
const isoTime = z.iso.datetime({ offset: true }).refine(inStoredTimeRange, TIME_RANGE_MESSAGE);
const stixId = z.string().min(5).max(300);

const Observable = z.object({
  type: z.enum(OBSERVABLE_TYPES),
  value: z.string().trim().min(1).max(MAX_OBSERVABLE_LENGTH),
});
const Location = z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) });
const Actor = z.object({ name: z.string().trim().min(1).max(200), kind: z.enum(['threat-actor', 'intrusion-set']) });

/**
 * The observables of one report may total this many characters: 200 URLs of 500 characters, more than any
 * real report carries (domains, addresses and hashes are far shorter). 200 values of 2,048 characters each
 * made a 410 KB report whose values the index then stores four times over.
 */
export const MAX_OBSERVABLE_CHARS = 100_000;

const fields = {
  title: z.string().trim().min(1).max(300),
  description: z.string().trim().max(20_000),
  category: z.enum(CATEGORIES),
  occurredAt: isoTime,
  location: Location.nullable().optional(),
  affectedMembers: z.array(orgCode).min(1).max(40),
  observables: z
    .array(Observable)
    .max(200)
    .refine(
      (a) => a.reduce((n, o) => n + o.value.length, 0) <= MAX_OBSERVABLE_CHARS,
      `values may total at most ${MAX_OBSERVABLE_CHARS.toLocaleString('en')} characters`,
    )
    .optional(),
  narratives: z.array(z.string().trim().min(1).max(2000)).max(20).optional(),
  ttps: z.array(stixId).max(50).optional(),
  actor: Actor.nullable().optional(),
  reliability: z.enum(RELIABILITY).nullable().optional(),
  credibility: z.number().int().min(1).max(6).nullable().optional(),
  tlp: z.enum(TLP_LEVELS),
  audience: z.array(orgCode).min(1, EMPTY_AUDIENCE).max(64).optional(),
};

export const CreateIncidentBody = z.object(fields);
export type CreateIncidentInput = z.infer<typeof CreateIncidentBody>;

/** PATCH: any subset; what is given replaces the stored value. */
/** `audience: null` removes the audience (an empty list is refused as everywhere). */
export const PatchIncidentBody = z
  .object({ ...fields, audience: fields.audience.unwrap().nullable() })
  .partial()
  .refine((o) => Object.keys(o).length > 0, 'name at least one field to change');
export type PatchIncidentInput = z.infer<typeof PatchIncidentBody>;

export const IdParams = z.object({ id: stixId });

export const ListIncidentsQuery = z.object({
  category: z.enum(CATEGORIES).optional(),
  member: orgCode.optional(),
  since: isoTime.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});
export type ListIncidentsQueryT = z.infer<typeof ListIncidentsQuery>;

export const IncidentView = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  category: z.string(),
  occurredAt: z.string(),
  location: Location.nullable(),
  affectedMembers: z.array(z.string()),
  observables: z.array(z.object({ type: z.string(), value: z.string() })),
  narratives: z.array(z.string()),
  ttps: z.array(z.string()),
  actor: Actor.nullable(),
  reliability: z.string().nullable(),
  credibility: z.number().nullable(),
  tlp: z.string(),
  audience: z.array(z.string()),
  author: z.string(),
  created: z.string(),
  modified: z.string(),
});

export const CorrelationsView = z.object({
  items: z.array(z.object({ id: z.string(), score: z.number(), reasons: z.array(z.string()), updatedAt: z.string() })),
});

export const HistoryQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });
export const HistoryView = z.object({
  items: z.array(IncidentView),
  /** Versions older than the first item, not returned (raise `limit` to see more of them). */
  olderVersions: z.number().int().min(0),
});

export const TtpQuery = z.object({
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export const PictureQuery = z.object({ since: isoTime.optional() });
export const CampaignQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export const ConfirmCampaignBody = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().max(20_000).optional(),
  incidents: z.array(stixId).min(1).max(500),
  confidence: z.number().int().min(0).max(100).optional(),
  tlp: z.enum(TLP_LEVELS),
  audience: z.array(orgCode).min(1, EMPTY_AUDIENCE).max(64).optional(),
});
export const RenameCampaignBody = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  description: z.string().trim().max(20_000).optional(),
  confidence: z.number().int().min(0).max(100).optional(),
});
export const MergeCampaignBody = z.object({ from: z.array(stixId).min(1).max(50) });
export const SplitCampaignBody = z.object({
  incidents: z.array(stixId).min(1).max(500),
  name: z.string().trim().min(1).max(200),
});

export const CreateResponseBody = z.object({
  title: z.string().trim().min(1).max(300),
  target: stixId,
  courseOfAction: z.union([
    z.object({ ref: stixId }),
    z.object({ name: z.string().trim().min(1).max(300), description: z.string().trim().max(20_000).optional() }),
  ]),
  participants: z.array(orgCode).min(1).max(40),
  tlp: z.enum(TLP_LEVELS),
  audience: z.array(orgCode).min(1, EMPTY_AUDIENCE).max(64).optional(),
});
export const TaskParams = z.object({ id: stixId, member: orgCode });
export const TaskBody = z.object({
  status: z.enum(['planned', 'in-progress', 'done', 'declined']),
  note: z.string().trim().max(5000).optional(),
});
export const ResponseQuery = z.object({
  target: stixId.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
