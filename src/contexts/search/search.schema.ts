import { z } from 'zod';

/** Where a search matched: the incident's title, description, an observable or narrative, or a campaign's name. */
export const SEARCH_FIELDS = ['title', 'description', 'observable', 'narrative', 'campaign'] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

export const MAX_QUERY_CHARS = 200;

export const SearchQuery = z.object({
  q: z
    .string()
    .trim()
    .min(1, 'must name something to search for')
    .max(MAX_QUERY_CHARS, `must be at most ${MAX_QUERY_CHARS} characters`)
    .describe('words to find in titles, descriptions, observables, narratives and campaign names'),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export type SearchQueryT = z.infer<typeof SearchQuery>;

export const PivotQuery = z.object({
  type: z.string().min(1).max(40).describe('the observable type as on the incident (ipv4-addr, domain-name, url, …)'),
  value: z.string().min(1).max(2048).describe('the value, in any spelling the incident form accepts'),
});
export type PivotQueryT = z.infer<typeof PivotQuery>;

export const SearchHit = z.object({
  kind: z.enum(['incident', 'campaign']),
  id: z.string(),
  title: z.string(),
  category: z.string().nullable(),
  occurredAt: z.string().nullable(),
  matches: z.array(z.object({ field: z.enum(SEARCH_FIELDS), text: z.string() })),
});
export type SearchHitT = z.infer<typeof SearchHit>;

export const SearchResult = z.object({ q: z.string(), items: z.array(SearchHit) });
export type SearchResultT = z.infer<typeof SearchResult>;

export const PivotIncident = z.object({
  id: z.string(),
  title: z.string(),
  category: z.string(),
  occurredAt: z.string(),
  author: z.string(),
  members: z.array(z.string()),
});
export const PivotResult = z.object({
  type: z.string(),
  value: z.string(),
  items: z.array(PivotIncident),
});
export type PivotResultT = z.infer<typeof PivotResult>;

export const NamesQuery = z.object({
  ids: z
    .string()
    .max(50 * 80)
    .describe('comma-separated STIX ids (at most 50)')
    .transform((v) => v.split(',').filter(Boolean))
    .pipe(
      z
        .array(z.string().regex(/^[a-z0-9-]{1,40}--[0-9a-f-]{36}$/, 'must be STIX ids'))
        .min(1)
        .max(50),
    ),
});
export const NamesResult = z.object({
  items: z.array(z.object({ id: z.string(), type: z.string(), name: z.string() })),
});
export type NamesResultT = z.infer<typeof NamesResult>;
