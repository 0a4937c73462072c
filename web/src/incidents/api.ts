import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSession } from '../app/context.tsx';
import { withQuery } from '../api/client.ts';
import type { Correlation, Incident, NewIncident, Page } from '../api/types.ts';

export interface IncidentFilters {
  category?: string;
  member?: string;
  since?: string;
}

export const PAGE_SIZE = 500;

/** Cursor-paged incidents; the virtual list asks for the next page as its end comes into view. */
export function useIncidentPages(f: IncidentFilters) {
  const { api } = useSession();
  return useInfiniteQuery({
    queryKey: ['incidents', f],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Incident>>(withQuery('/api/v1/incidents', { ...f, limit: PAGE_SIZE, cursor: pageParam }), signal),
    getNextPageParam: (last) => (last.items.length > 0 && last.next ? last.next : undefined),
    staleTime: 15_000,
  });
}

export function useIncident(id: string | undefined) {
  const { api } = useSession();
  return useQuery({
    queryKey: ['incident', id],
    enabled: id !== undefined,
    queryFn: ({ signal }) => api.get<Incident>(`/api/v1/incidents/${encodeURIComponent(id ?? '')}`, signal),
  });
}

export function useCorrelations(id: string | undefined) {
  const { api } = useSession();
  return useQuery({
    queryKey: ['correlations', id],
    enabled: id !== undefined,
    queryFn: ({ signal }) =>
      api.get<{ items: Correlation[] }>(`/api/v1/incidents/${encodeURIComponent(id ?? '')}/correlations`, signal),
  });
}

export function useIncidentHistory(id: string | undefined) {
  const { api } = useSession();
  return useQuery({
    queryKey: ['incident', id, 'history'],
    enabled: id !== undefined,
    retry: false,
    queryFn: ({ signal }) =>
      api.get<{ items: Incident[] }>(`/api/v1/incidents/${encodeURIComponent(id ?? '')}/history`, signal),
  });
}

export function useReportIncident() {
  const { api } = useSession();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: NewIncident) => api.post<Incident>('/api/v1/incidents', body),
    onSuccess: (i) => {
      qc.setQueryData(['incident', i.id], i);
      void qc.invalidateQueries({ queryKey: ['incidents'] });
    },
  });
}

/** What changed from one version of an incident to the next, as field names. */
export function changedFields(prev: Incident, next: Incident): string[] {
  const keys: Array<keyof Incident> = [
    'title',
    'description',
    'category',
    'occurredAt',
    'location',
    'affectedMembers',
    'observables',
    'narratives',
    'ttps',
    'actor',
    'reliability',
    'credibility',
    'tlp',
    'audience',
  ];
  return keys.filter((k) => JSON.stringify(prev[k]) !== JSON.stringify(next[k]));
}
