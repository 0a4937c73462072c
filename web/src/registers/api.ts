import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSession } from '../app/context.tsx';
import { withQuery } from '../api/client.ts';
import type { SupportSummaryViewT, SupportViewT } from '../../../src/contexts/registers/support.schema.ts';
import type { EventViewT } from '../../../src/contexts/registers/diplomacy.schema.ts';
import type { NeedSummaryViewT } from '../../../src/contexts/registers/humanitarian.schema.ts';
import type { BriefingViewT } from '../../../src/contexts/briefings/briefing.schema.ts';

export interface Page<T> {
  items: T[];
  next: string | null;
}

export interface SupportFilter {
  recipient?: string;
  provider?: string;
  avenue?: string;
  status?: string;
}

export function useSupport(f: SupportFilter) {
  const { api } = useSession();
  return useQuery({
    queryKey: ['support', f],
    queryFn: ({ signal }) => api.get<Page<SupportViewT>>(withQuery('/api/v1/support', { ...f, limit: 500 }), signal),
  });
}

export function useSupportSummary(recipient?: string) {
  const { api } = useSession();
  return useQuery({
    queryKey: ['support-summary', recipient],
    queryFn: ({ signal }) => api.get<SupportSummaryViewT>(withQuery('/api/v1/support/summary', { recipient }), signal),
  });
}

export function useDiplomacy() {
  const { api } = useSession();
  return useQuery({
    queryKey: ['diplomacy'],
    queryFn: ({ signal }) => api.get<Page<EventViewT>>('/api/v1/diplomacy/events?limit=500', signal),
  });
}

export function useHumanitarian() {
  const { api } = useSession();
  return useQuery({
    queryKey: ['humanitarian-summary'],
    queryFn: ({ signal }) => api.get<NeedSummaryViewT>('/api/v1/humanitarian/summary', signal),
  });
}

export function useBriefings() {
  const { api } = useSession();
  return useQuery({
    queryKey: ['briefings'],
    queryFn: ({ signal }) => api.get<Page<BriefingViewT>>('/api/v1/briefings?limit=100', signal),
  });
}

export function useCreateBriefing() {
  const { api } = useSession();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (b: { from: string; to: string; title?: string; format: 'markdown' | 'html' | 'pdf' }) =>
      api.post<BriefingViewT>('/api/v1/briefings', b),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['briefings'] }),
  });
}

export function useDeleteBriefing() {
  const { api } = useSession();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<undefined>(`/api/v1/briefings/${encodeURIComponent(id)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['briefings'] }),
  });
}

/** A briefing document as text (HTML preview) or as a Blob (download), with the session's token. */
export function useBriefingFetch() {
  const { api } = useSession();
  return async (id: string, format: 'markdown' | 'html' | 'pdf'): Promise<Response> => {
    const res = await fetch(`/api/v1/briefings/${encodeURIComponent(id)}?format=${format}`, {
      headers: api.headers({ Accept: '*/*' }),
    });
    if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
    return res;
  };
}
