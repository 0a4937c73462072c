import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSession } from '../app/context.tsx';
import { withQuery } from '../api/client.ts';
import type { z } from 'zod';
import type {
  CreateDocumentInput,
  CreateSourceInput,
  DocumentLinks,
  DocumentSummaryT,
  DocumentViewT,
  EntitySummary,
  EntityViewT,
  FetchDocumentInput,
  ReviewItem,
  SignpostLinkInput,
  SignpostLinkViewT,
  SourceViewT,
} from '../../../src/contexts/sources/sources.schema.ts';
import type { SetSummaryT, SetViewT } from '../../../src/contexts/outlook/outlook.schema.ts';

/** The open-sources API (api.md, "Open sources") for the console's Sources tab; wire types from the shared schemas. */
export type DocumentLinksT = z.infer<typeof DocumentLinks>;
export type EntitySummaryT = z.infer<typeof EntitySummary>;
export type ReviewItemT = z.infer<typeof ReviewItem>;
export type { DocumentSummaryT, DocumentViewT, EntityViewT, SignpostLinkViewT, SourceViewT };

interface Page<T> {
  items: T[];
  next: string | null;
}

const enc = encodeURIComponent;

export function useDocuments() {
  const { api } = useSession();
  return useQuery({
    queryKey: ['sources', 'documents'],
    queryFn: ({ signal }) => api.get<Page<DocumentSummaryT>>('/api/v1/documents?limit=200', signal),
  });
}

export function useDocument(id: string) {
  const { api } = useSession();
  return useQuery({
    queryKey: ['sources', 'document', id],
    queryFn: ({ signal }) => api.get<DocumentViewT>(`/api/v1/documents/${enc(id)}`, signal),
  });
}

export function useDocumentLinks(id: string) {
  const { api } = useSession();
  return useQuery({
    queryKey: ['sources', 'links', id],
    queryFn: ({ signal }) => api.get<DocumentLinksT>(`/api/v1/documents/${enc(id)}/links`, signal),
  });
}

export function useEntity(id: string) {
  const { api } = useSession();
  return useQuery({
    queryKey: ['sources', 'entity', id],
    queryFn: ({ signal }) => api.get<EntityViewT>(`/api/v1/entities/${enc(id)}`, signal),
  });
}

export function useEntitySearch(q: string) {
  const { api } = useSession();
  return useQuery({
    queryKey: ['sources', 'entities', q],
    queryFn: ({ signal }) => api.get<Page<EntitySummaryT>>(withQuery('/api/v1/entities', { q, limit: 100 }), signal),
  });
}

export function useReview() {
  const { api } = useSession();
  return useQuery({
    queryKey: ['sources', 'review'],
    queryFn: ({ signal }) => api.get<{ items: ReviewItemT[] }>('/api/v1/entities/review', signal),
  });
}

export function useSources() {
  const { api } = useSession();
  return useQuery({
    queryKey: ['sources', 'sources'],
    queryFn: ({ signal }) => api.get<{ items: SourceViewT[] }>('/api/v1/sources', signal),
  });
}

/** Every write changes what the tab shows (entities regroup, the queue shrinks): refresh the whole tab. */
function useSourcesMutation<A, R>(fn: (a: A) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => void qc.invalidateQueries({ queryKey: ['sources'] }) });
}

export function useAddDocument() {
  const { api } = useSession();
  return useSourcesMutation((b: CreateDocumentInput) => api.post<DocumentViewT>('/api/v1/documents', b));
}

export function useFetchDocument() {
  const { api } = useSession();
  return useSourcesMutation((b: FetchDocumentInput) => api.post<DocumentViewT>('/api/v1/documents/fetch', b));
}

export function useDeleteDocument() {
  const { api } = useSession();
  return useSourcesMutation((id: string) => api.delete<undefined>(`/api/v1/documents/${enc(id)}`));
}

export function useAddSource() {
  const { api } = useSession();
  return useSourcesMutation((b: CreateSourceInput) => api.post<SourceViewT>('/api/v1/sources', b));
}

export function useMerge() {
  const { api } = useSession();
  return useSourcesMutation((a: { id: string; other: string }) =>
    api.post<EntityViewT>(`/api/v1/entities/${enc(a.id)}/merge`, { other: a.other }),
  );
}

export function useReject() {
  const { api } = useSession();
  return useSourcesMutation((a: { id: string; other: string }) =>
    api.post<EntityViewT>(`/api/v1/entities/${enc(a.id)}/reject`, { other: a.other }),
  );
}

export function useSplit() {
  const { api } = useSession();
  return useSourcesMutation((a: { id: string; alias: string }) =>
    api.post<EntityViewT>(`/api/v1/entities/${enc(a.id)}/split`, { alias: a.alias }),
  );
}

export function useSignpostLinks(doc: string) {
  const { api } = useSession();
  return useQuery({
    queryKey: ['sources', 'signposts', doc],
    queryFn: ({ signal }) => api.get<{ items: SignpostLinkViewT[] }>(`/api/v1/documents/${enc(doc)}/signposts`, signal),
  });
}

/** Scenario sets the reader may read (the outlook's own list), to pick a signpost from. */
export function useScenarioSets(enabled: boolean) {
  const { api } = useSession();
  return useQuery({
    queryKey: ['sources', 'scenario-sets'],
    enabled,
    queryFn: ({ signal }) => api.get<Page<SetSummaryT>>('/api/v1/outlook/scenario-sets?limit=100', signal),
  });
}

export function useScenarioSet(id: string) {
  const { api } = useSession();
  return useQuery({
    queryKey: ['sources', 'scenario-set', id],
    enabled: id !== '',
    queryFn: ({ signal }) => api.get<SetViewT>(`/api/v1/outlook/scenario-sets/${enc(id)}`, signal),
  });
}

export function useLinkSignpost(doc: string) {
  const { api } = useSession();
  return useSourcesMutation((b: SignpostLinkInput) =>
    api.post<SignpostLinkViewT>(`/api/v1/documents/${enc(doc)}/signposts`, b),
  );
}
