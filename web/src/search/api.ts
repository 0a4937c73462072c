import { useQuery } from '@tanstack/react-query';
import { NamesResult, PivotResult, SearchResult } from '../../../src/contexts/search/search.schema.ts';
import { useSession } from '../app/context.tsx';
import { withQuery } from '../api/client.ts';

/** Server-side search (GET /search): only what the signed-in organisation may read. */
export function useSearch(q: string) {
  const { api } = useSession();
  return useQuery({
    queryKey: ['search', q],
    enabled: q.trim().length > 0,
    queryFn: async ({ signal }) =>
      SearchResult.parse(await api.get(withQuery('/api/v1/search', { q, limit: 50 }), signal)),
  });
}

/** Every readable incident holding an observable (GET /search/pivot). */
export function usePivot(type: string, value: string) {
  const { api } = useSession();
  return useQuery({
    queryKey: ['pivot', type, value],
    enabled: type !== '' && value !== '',
    queryFn: async ({ signal }) =>
      PivotResult.parse(await api.get(withQuery('/api/v1/search/pivot', { type, value }), signal)),
  });
}

/** A pivot's address part: `type:value` (the type never holds a colon). */
export function pivotKey(type: string, value: string): string {
  return `${type}:${value}`;
}

export function parsePivotKey(key: string | undefined): { type: string; value: string } {
  const at = key?.indexOf(':') ?? -1;
  return key && at > 0 ? { type: key.slice(0, at), value: key.slice(at + 1) } : { type: '', value: '' };
}

export const FIELD_LABEL: Record<string, string> = {
  title: 'title',
  description: 'description',
  observable: 'observable',
  narrative: 'narrative',
  campaign: 'campaign name',
};

/** The names of objects the organisation may read (GET /names); hidden ones are simply absent. */
export function useNames(ids: readonly string[]) {
  const { api } = useSession();
  const list = [...new Set(ids)].sort().slice(0, 50);
  return useQuery({
    queryKey: ['names', list],
    enabled: list.length > 0,
    staleTime: 300_000,
    queryFn: async ({ signal }) => {
      const r = NamesResult.parse(await api.get(withQuery('/api/v1/names', { ids: list.join(',') }), signal));
      return new Map(r.items.map((i) => [i.id, i.name]));
    },
  });
}
