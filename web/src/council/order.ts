import type { ProposalViewT } from './api.ts';

/** Circulating proposals first, nearest deadline first; decided ones newest first. */
export function orderProposals(items: readonly ProposalViewT[]): ProposalViewT[] {
  return [...items].sort((a, b) => {
    const ca = a.status === 'circulating' ? 0 : 1;
    const cb = b.status === 'circulating' ? 0 : 1;
    if (ca !== cb) return ca - cb;
    if (ca === 0) return (a.silenceEndsAt ?? '9999').localeCompare(b.silenceEndsAt ?? '9999');
    return (b.decidedAt ?? b.createdAt).localeCompare(a.decidedAt ?? a.createdAt);
  });
}
