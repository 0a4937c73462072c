/**
 * Puts a live incident into the cached, paged incident lists without refetching them (a list of
 * 10,000 rows is 20 pages: a refetch per event would not stay fast). Pure.
 */
import type { InfiniteData } from '@tanstack/react-query';
import type { Incident, Page } from '../api/types.ts';
import type { IncidentFilters } from '../incidents/api.ts';

export function matchesFilters(i: Incident, f: IncidentFilters): boolean {
  if (f.category && i.category !== f.category) return false;
  if (f.member && !i.affectedMembers.includes(f.member)) return false;
  if (f.since && i.occurredAt < f.since) return false;
  return true;
}

/** The server's list order: occurredAt descending, then id descending. */
export function before(a: Incident, b: Incident): boolean {
  return a.occurredAt !== b.occurredAt ? a.occurredAt > b.occurredAt : a.id > b.id;
}

/**
 * New: inserted where the server's order puts it (or left for a later page when it falls past
 * what is loaded). Known: replaced where it is. No longer matching the filters: removed.
 */
export function mergeIncident(
  data: InfiniteData<Page<Incident>, string | undefined> | undefined,
  i: Incident,
  f: IncidentFilters,
): InfiniteData<Page<Incident>, string | undefined> | undefined {
  if (!data || data.pages.length === 0) return data;
  const match = matchesFilters(i, f);
  let found = false;
  const pages = data.pages.map((p) => {
    if (!p.items.some((x) => x.id === i.id)) return p;
    found = true;
    return { ...p, items: match ? p.items.map((x) => (x.id === i.id ? i : x)) : p.items.filter((x) => x.id !== i.id) };
  });
  if (found || !match) return { ...data, pages };
  for (let pi = 0; pi < pages.length; pi++) {
    const items = pages[pi]!.items;
    const at = items.findIndex((x) => before(i, x));
    if (at >= 0) {
      pages[pi] = { ...pages[pi]!, items: [...items.slice(0, at), i, ...items.slice(at)] };
      return { ...data, pages };
    }
  }
  const last = pages.length - 1;
  if (pages[last]!.next === null) pages[last] = { ...pages[last]!, items: [...pages[last]!.items, i] };
  return { ...data, pages };
}
