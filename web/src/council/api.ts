import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import {
  ProposalView,
  type CreateProposalInput,
  type PositionInput,
} from '../../../src/contexts/council/proposal.schema.ts';
import { useSession } from '../app/context.tsx';
import { withQuery } from '../api/client.ts';

export type ProposalViewT = z.infer<typeof ProposalView>;
const ProposalList = z.object({ items: z.array(ProposalView) });

/** Council responses are checked against the server's own zod schema. */
export function useProposals(status: string | undefined) {
  const { api } = useSession();
  return useQuery({
    queryKey: ['proposals', status ?? 'all'],
    queryFn: async ({ signal }) =>
      ProposalList.parse(await api.get(withQuery('/api/v1/council/proposals', { status, limit: 500 }), signal)).items,
    refetchInterval: 60_000,
  });
}

export function useProposal(id: string | undefined) {
  const { api } = useSession();
  return useQuery({
    queryKey: ['proposal', id],
    enabled: id !== undefined,
    queryFn: async ({ signal }) =>
      ProposalView.parse(await api.get(`/api/v1/council/proposals/${encodeURIComponent(id ?? '')}`, signal)),
  });
}

function useProposalAction<I>(path: (id: string) => string, body: (input: I) => unknown) {
  const { api } = useSession();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, input }: { id: string; input: I }) =>
      ProposalView.parse(await api.post(path(id), body(input))),
    onSuccess: (p) => {
      qc.setQueryData(['proposal', p.id], p);
      void qc.invalidateQueries({ queryKey: ['proposals'] });
    },
  });
}

export function useTakePosition() {
  return useProposalAction<PositionInput>(
    (id) => `/api/v1/council/proposals/${encodeURIComponent(id)}/positions`,
    (i) => i,
  );
}
export function useCloseProposal() {
  return useProposalAction<null>(
    (id) => `/api/v1/council/proposals/${encodeURIComponent(id)}/close`,
    () => ({}),
  );
}
export function useWithdrawProposal() {
  return useProposalAction<null>(
    (id) => `/api/v1/council/proposals/${encodeURIComponent(id)}/withdraw`,
    () => ({}),
  );
}

export function useCreateProposal() {
  const { api } = useSession();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (input: CreateProposalInput) =>
      ProposalView.parse(await api.post('/api/v1/council/proposals', input)),
    onSuccess: (p) => {
      qc.setQueryData(['proposal', p.id], p);
      void qc.invalidateQueries({ queryKey: ['proposals'] });
    },
  });
}

export const STATUS_LABEL: Record<string, string> = {
  circulating: 'Circulating',
  adopted: 'Adopted',
  'adopted-with-reservations': 'Adopted with reservations',
  'silence-broken': 'Silence broken',
  withdrawn: 'Withdrawn',
  superseded: 'Superseded',
};

export const POSITION_LABEL: Record<string, string> = {
  concur: 'Concurs',
  'break-silence': 'Broke silence',
  reservation: 'Reservation',
};

/** Plain words for the kinds of proposal (the API's names are identifiers). */
export const KIND_LABEL: Record<string, string> = {
  'coordinated-response': 'Coordinated response',
  'article-4-consultation': 'Article 4 consultation',
  'article-5-determination': 'Article 5 determination',
  'deployment-mandate': 'Deployment mandate',
  'support-package': 'Support package',
  'public-statement': 'Public statement',
};

export const kindLabel = (k: string): string => KIND_LABEL[k] ?? k;

export const PROCEDURE_LABEL: Record<string, string> = {
  silence: 'Silence procedure',
  meeting: 'Meeting (every member concurs)',
};
