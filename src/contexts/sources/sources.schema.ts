import { z } from 'zod';
import { TLP_LEVELS } from '../../kernel/access/tlp.ts';
import { isOrgCodeShape } from '../sharing/organisations.ts';
import { TIME_RANGE_MESSAGE, inStoredTimeRange } from '../../platform/time-range.ts';

/** Wire schemas of the open-sources contract (api.md, "Open sources"), shared by routes, CLI and console. */
const orgCode = z
  .string()
  .length(2)
  .transform((s) => s.toUpperCase())
  .refine(isOrgCodeShape, 'must be a two-letter organisation code');
const isoTime = z.iso.datetime({ offset: true }).refine(inStoredTimeRange, TIME_RANGE_MESSAGE);
const httpUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .refine((u) => !/[\s]/.test(u), 'must not contain spaces');
const release = {
  tlp: z.enum(TLP_LEVELS),
  /** An empty list is refused by the service (it would widen the release). */
  audience: z.array(orgCode).max(64).optional(),
};

export const RELIABILITY_CODES = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export const SOURCE_KINDS = ['feed', 'web', 'manual'] as const;
export const ENTITY_KINDS = ['person', 'organisation', 'place'] as const;

export const CreateSourceBody = z.object({
  name: z.string().trim().min(1).max(200),
  kind: z.enum(SOURCE_KINDS),
  url: httpUrl.optional(),
  reliability: z.enum(RELIABILITY_CODES),
  pollSeconds: z
    .number()
    .int()
    .min(60)
    .max(7 * 86_400)
    .optional(),
  ...release,
});
export type CreateSourceInput = z.infer<typeof CreateSourceBody>;

export const SourceView = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(SOURCE_KINDS),
  url: z.string().nullable(),
  reliability: z.enum(RELIABILITY_CODES),
  pollSeconds: z.number().nullable(),
  tlp: z.enum(TLP_LEVELS),
  audience: z.array(z.string()),
  author: z.string(),
  createdAt: z.string(),
  lastPolledAt: z.string().nullable(),
  nextPollAt: z.string().nullable(),
  lastError: z.string().nullable(),
});
export type SourceViewT = z.infer<typeof SourceView>;

export const CreateDocumentBody = z
  .object({
    source: z.string().min(1).max(100).optional(),
    title: z.string().trim().min(1).max(500).optional(),
    url: httpUrl.optional(),
    publishedAt: isoTime.optional(),
    /** Checked further by the service (empty, binary, size) with a message naming `text`. */
    text: z.string().max(2_000_000).optional(),
    html: z
      .string()
      .max(2 * 1024 * 1024)
      .optional(),
    credibility: z.number().int().min(1).max(6).optional(),
    ...release,
  })
  .refine((b) => (b.text === undefined) !== (b.html === undefined), {
    message: 'give exactly one of text or html',
    path: ['text'],
  });
export type CreateDocumentInput = z.infer<typeof CreateDocumentBody>;

/** A document fetched by the server from its address (an HTML page or plain text, not a feed). */
export const FetchDocumentBody = z.object({
  url: httpUrl,
  source: z.string().min(1).max(100).optional(),
  title: z.string().trim().min(1).max(500).optional(),
  publishedAt: isoTime.optional(),
  credibility: z.number().int().min(1).max(6).optional(),
  ...release,
});
export type FetchDocumentInput = z.infer<typeof FetchDocumentBody>;

export const MentionView = z.object({ text: z.string(), start: z.number(), end: z.number() });
export const DocEntityView = z.object({
  id: z.string(),
  kind: z.enum(ENTITY_KINDS),
  name: z.string(),
  aliases: z.array(z.string()),
  mentions: z.array(MentionView),
});
export const ClaimView = z.object({
  speaker: z.string().nullable(),
  text: z.string(),
  start: z.number(),
  end: z.number(),
});
export const DocumentView = z.object({
  id: z.string(),
  title: z.string().nullable(),
  source: z.string().nullable(),
  url: z.string().nullable(),
  publishedAt: z.string().nullable(),
  grade: z.string(),
  language: z.string(),
  text: z.string(),
  tlp: z.enum(TLP_LEVELS),
  audience: z.array(z.string()),
  author: z.string(),
  createdAt: z.string(),
  entities: z.array(DocEntityView),
  claims: z.array(ClaimView),
});
export type DocumentViewT = z.infer<typeof DocumentView>;

export const DocumentSummary = z.object({
  id: z.string(),
  title: z.string().nullable(),
  source: z.string().nullable(),
  publishedAt: z.string().nullable(),
  grade: z.string(),
  language: z.string(),
  author: z.string(),
  createdAt: z.string(),
});
export type DocumentSummaryT = z.infer<typeof DocumentSummary>;

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});
export const EntityQuery = PageQuery.extend({ q: z.string().trim().max(200).default('') });
export const IdParams = z.object({ id: z.string().min(1).max(100) });

export const EntitySummary = z.object({
  id: z.string(),
  kind: z.enum(ENTITY_KINDS),
  name: z.string(),
  aliases: z.array(z.string()),
});
export const SameAsView = z.object({
  entity: z.string(),
  other: z.string(),
  document: z.string(),
  score: z.number(),
  evidence: z.array(z.string()),
  status: z.string(),
});
export const EditView = z.object({
  op: z.enum(['merge', 'split', 'reject']),
  by: z.string(),
  at: z.string(),
  alias: z.string().nullable(),
  other: z.string().nullable(),
});
export const EntityView = EntitySummary.extend({
  aliasesSeen: z.array(z.object({ alias: z.string(), documents: z.array(z.string()) })),
  documents: z.array(
    z.object({ id: z.string(), title: z.string().nullable(), grade: z.string(), publishedAt: z.string().nullable() }),
  ),
  claims: z.array(ClaimView.extend({ document: z.string(), at: z.string() })),
  sameAs: z.array(SameAsView),
  edits: z.array(EditView),
});
export type EntityViewT = z.infer<typeof EntityView>;

export const SplitBody = z.object({ alias: z.string().trim().min(1).max(200) });
export const MergeBody = z.object({ other: z.string().min(1).max(100) });
export const RejectBody = MergeBody;
export const ReviewItem = SameAsView.extend({ entityName: z.string(), otherName: z.string() });

export function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), next: z.string().nullable() });
}

export const DocumentLinks = z.object({
  echoes: z.array(z.object({ incident: z.string(), narrative: z.string(), claim: z.string(), score: z.number() })),
  reports: z.array(z.object({ incident: z.string(), title: z.string(), reasons: z.array(z.string()) })),
});
/** A claim of the document (by its start offset) proposed as an observation of an outlook signpost. */
export const SignpostLinkBody = z.object({
  claim: z.number().int().min(0),
  set: z.string().min(1).max(100),
  signpost: z.string().min(1).max(100),
  /** The claim says the signpost is observed (default) or that it is not. */
  observed: z.boolean().default(true),
});
export type SignpostLinkInput = z.infer<typeof SignpostLinkBody>;
export const SignpostLinkView = z.object({
  claim: z.number(),
  set: z.string(),
  signpost: z.string(),
  observed: z.boolean(),
  proposal: z.string(),
  by: z.string(),
  at: z.string(),
});
export type SignpostLinkViewT = z.infer<typeof SignpostLinkView>;

export const IncidentDocument = z.object({
  document: z.string(),
  title: z.string().nullable(),
  reasons: z.array(z.string()),
});

/** The Admiralty code in words, for every reader of the contract (the console shows grades with them). */
export { CREDIBILITY_TEXT, RELIABILITY_TEXT, type Credibility, type Reliability } from './grade.ts';
