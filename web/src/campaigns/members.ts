import { useQueries } from '@tanstack/react-query';
import { useSession } from '../app/context.tsx';
import type { Correlation, Incident } from '../api/types.ts';

const enc = encodeURIComponent;

export interface CampaignLink {
  a: string;
  b: string;
  score: number;
  reasons: string[];
}

/**
 * A campaign's incidents as the reader sees them (title, members, date, category) and the correlation
 * links between them with their reasons: one request per incident, cached like every incident read.
 */
export function useCampaignMembers(ids: readonly string[]) {
  const { api } = useSession();
  const incidents = useQueries({
    queries: ids.map((id) => ({
      queryKey: ['incident', id],
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get<Incident>(`/api/v1/incidents/${enc(id)}`, signal),
      staleTime: 60_000,
    })),
  });
  const correlations = useQueries({
    queries: ids.map((id) => ({
      queryKey: ['correlations', id],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        api.get<{ items: Correlation[] }>(`/api/v1/incidents/${enc(id)}/correlations`, signal),
      staleTime: 60_000,
    })),
  });
  const byId = new Map<string, Incident>();
  for (const q of incidents) if (q.data) byId.set(q.data.id, q.data);
  return {
    byId,
    loading: incidents.some((q) => q.isPending) || correlations.some((q) => q.isPending),
    links: linksWithin(
      ids,
      ids.map((id, i) => ({ id, items: correlations[i]?.data?.items ?? [] })),
    ),
  };
}

/** The links between members of the set, each once (a–b and b–a are the same link). Pure. */
export function linksWithin(
  ids: readonly string[],
  perIncident: ReadonlyArray<{ id: string; items: readonly Correlation[] }>,
): CampaignLink[] {
  const inSet = new Set(ids);
  const seen = new Map<string, CampaignLink>();
  for (const { id, items } of perIncident)
    for (const c of items) {
      if (!inSet.has(c.id) || c.id === id) continue;
      const [a, b] = id < c.id ? [id, c.id] : [c.id, id];
      const key = `${a} ${b}`;
      if (!seen.has(key)) seen.set(key, { a, b, score: c.score, reasons: c.reasons });
    }
  return [...seen.values()].sort((x, y) => y.score - x.score);
}
