import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSession } from '../app/context.tsx';
import { withQuery } from '../api/client.ts';
import type { Tlp } from '../../../src/kernel/access/tlp.ts';
// Types only (erased at build time): the server's own view types, so the console cannot drift from the API.
import type { SuggestedCampaign, CampaignView } from '../../../src/contexts/intel/campaign.schema.ts';
import type { ResponseViewT } from '../../../src/contexts/intel/response.schema.ts';

/** A campaign of GET /api/v1/campaigns: confirmed (STIX campaign) or suggested from strong correlations. */
export type Campaign = Omit<SuggestedCampaign, 'status'> & { status: string } & Partial<
    Omit<CampaignView, keyof SuggestedCampaign>
  >;

/** A coordinated response (GET /api/v1/responses): a course of action with one task per member. */
export type CoordinatedResponse = ResponseViewT;
export type ResponseTask = ResponseViewT['tasks'][number];

export interface NewResponse {
  title: string;
  target: string;
  courseOfAction: { ref: string } | { name: string; description?: string };
  participants: string[];
  tlp: Tlp;
  audience?: string[];
}

const enc = encodeURIComponent;

export function useCampaigns() {
  const { api } = useSession();
  return useQuery({
    queryKey: ['campaigns'],
    queryFn: ({ signal }) => api.get<{ items: Campaign[] }>('/api/v1/campaigns?limit=200', signal),
  });
}

/** Every campaign mutation refreshes the list (and the stream's campaign.updated does too for others). */
function useCampaignMutation<I, O>(fn: (input: I) => Promise<O>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => void qc.invalidateQueries({ queryKey: ['campaigns'] }) });
}

export function useConfirmCampaign() {
  const { api } = useSession();
  return useCampaignMutation(
    (b: { name: string; incidents: string[]; confidence: number; tlp: Tlp; description?: string }) =>
      api.post<Campaign>('/api/v1/campaigns', b),
  );
}

export function useRenameCampaign() {
  const { api } = useSession();
  return useCampaignMutation((b: { id: string; name: string; confidence: number }) =>
    api.patch<Campaign>(`/api/v1/campaigns/${enc(b.id)}`, { name: b.name, confidence: b.confidence }),
  );
}

export function useMergeCampaigns() {
  const { api } = useSession();
  return useCampaignMutation((b: { id: string; from: string[] }) =>
    api.post<Campaign>(`/api/v1/campaigns/${enc(b.id)}/merge`, { from: b.from }),
  );
}

export function useSplitCampaign() {
  const { api } = useSession();
  return useCampaignMutation((b: { id: string; incidents: string[]; name: string }) =>
    api.post<{ from: Campaign; created: Campaign }>(`/api/v1/campaigns/${enc(b.id)}/split`, {
      incidents: b.incidents,
      name: b.name,
    }),
  );
}

export function useResponses(target: string) {
  const { api } = useSession();
  return useQuery({
    queryKey: ['responses', target],
    queryFn: ({ signal }) =>
      api.get<{ items: CoordinatedResponse[] }>(withQuery('/api/v1/responses', { target, limit: 50 }), signal),
  });
}

export function useCreateResponse() {
  const { api } = useSession();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (b: NewResponse) => api.post<CoordinatedResponse>('/api/v1/responses', b),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['responses'] }),
  });
}

export function useUpdateTask() {
  const { api } = useSession();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (b: { id: string; member: string; status: string; note?: string }) =>
      api.patch<CoordinatedResponse>(`/api/v1/responses/${enc(b.id)}/tasks/${enc(b.member)}`, {
        status: b.status,
        ...(b.note ? { note: b.note } : {}),
      }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['responses'] }),
  });
}
