import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSession } from '../app/context.tsx';
import type {
  AchEvidenceInput,
  AchSummaryT,
  AchViewT,
  ForecastInput,
  ObservationCreatedT,
  ObservationInput,
  PostureViewT,
  QuestionViewT,
  ScoresViewT,
  SensitivityViewT,
  SetSummaryT,
  SetViewT,
} from '../../../src/contexts/outlook/outlook.schema.ts';

export type { AchViewT, PostureViewT, QuestionViewT, ScoresViewT, SensitivityViewT, SetSummaryT, SetViewT };

export interface Page<T> {
  items: T[];
  next: string | null;
}

export const OUTLOOK_API = '/api/v1/outlook';
/** The address of one outlook object (`kind` as in the API's paths) and what lies under it. */
export const outlookAt = (kind: string, id: string, rest = '') =>
  `${OUTLOOK_API}/${kind}/${encodeURIComponent(id)}${rest}`;

export function useSets() {
  const { api } = useSession();
  return useQuery({
    queryKey: ['outlook', 'sets'],
    queryFn: ({ signal }) => api.get<Page<SetSummaryT>>(`${OUTLOOK_API}/scenario-sets?limit=100`, signal),
  });
}

export function useSet(id: string | undefined) {
  const { api } = useSession();
  return useQuery({
    queryKey: ['outlook', 'set', id],
    enabled: id !== undefined,
    queryFn: ({ signal }) => api.get<SetViewT>(outlookAt('scenario-sets', id!), signal),
  });
}

export function usePosture(id: string | undefined) {
  const { api } = useSession();
  return useQuery({
    queryKey: ['outlook', 'set', id, 'posture'],
    enabled: id !== undefined,
    queryFn: ({ signal }) => api.get<PostureViewT>(outlookAt('scenario-sets', id!, '/posture'), signal),
  });
}

export function useSensitivity(id: string | undefined) {
  const { api } = useSession();
  return useQuery({
    queryKey: ['outlook', 'set', id, 'sensitivity'],
    enabled: id !== undefined,
    queryFn: ({ signal }) => api.get<SensitivityViewT>(outlookAt('scenario-sets', id!, '/sensitivity'), signal),
  });
}

export function useAddObservation(id: string) {
  const { api } = useSession();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (o: ObservationInput) =>
      api.post<ObservationCreatedT>(outlookAt('scenario-sets', id, '/observations'), o),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['outlook'] }),
  });
}

export function useQuestions() {
  const { api } = useSession();
  return useQuery({
    queryKey: ['outlook', 'questions'],
    queryFn: ({ signal }) => api.get<Page<QuestionViewT>>(`${OUTLOOK_API}/questions?limit=100`, signal),
  });
}

export function useQuestion(id: string | undefined) {
  const { api } = useSession();
  return useQuery({
    queryKey: ['outlook', 'question', id],
    enabled: id !== undefined,
    queryFn: ({ signal }) => api.get<QuestionViewT>(outlookAt('questions', id!), signal),
  });
}

export function useForecast(id: string) {
  const { api } = useSession();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (f: ForecastInput) => api.post<QuestionViewT>(outlookAt('questions', id, '/forecasts'), f),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['outlook'] }),
  });
}

export function useResolve(id: string) {
  const { api } = useSession();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (outcome: string) => api.post<QuestionViewT>(outlookAt('questions', id, '/resolution'), { outcome }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['outlook'] }),
  });
}

export function useScores() {
  const { api } = useSession();
  return useQuery({
    queryKey: ['outlook', 'scores'],
    queryFn: ({ signal }) => api.get<ScoresViewT>(`${OUTLOOK_API}/scores`, signal),
  });
}

export function useAchList() {
  const { api } = useSession();
  return useQuery({
    queryKey: ['outlook', 'ach-list'],
    queryFn: ({ signal }) => api.get<Page<AchSummaryT>>(`${OUTLOOK_API}/ach?limit=100`, signal),
  });
}

export function useAch(id: string | undefined) {
  const { api } = useSession();
  return useQuery({
    queryKey: ['outlook', 'ach', id],
    enabled: id !== undefined,
    queryFn: ({ signal }) => api.get<AchViewT>(outlookAt('ach', id!), signal),
  });
}

/** Replaces one piece of evidence in place (the matrix editor's cells). */
export function usePutEvidence(id: string) {
  const { api } = useSession();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ key, ...body }: AchEvidenceInput) =>
      api.request<AchViewT>('PUT', outlookAt('ach', id, `/evidence/${encodeURIComponent(key)}`), body),
    onSuccess: (view) => qc.setQueryData(['outlook', 'ach', id], view),
  });
}
