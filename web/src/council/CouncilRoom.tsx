import { useState, type ReactNode } from 'react';
import { useSession } from '../app/context.tsx';
import { navigate } from '../app/router.ts';
import { Empty, ErrorState, Loading } from '../ui/states.tsx';
import { VirtualList } from '../ui/VirtualList.tsx';
import { Countdown } from './Countdown.tsx';
import { ProposalDetail } from './ProposalDetail.tsx';
import { NewProposal } from './NewProposal.tsx';
import { kindLabel, POSITION_LABEL, STATUS_LABEL, useProposals, type ProposalViewT } from './api.ts';
import { orderProposals } from './order.ts';

/** Short labels, so that the status filter fits the list pane (and a phone) on one line. */
const FILTERS: Array<{ key: string | undefined; label: string; title: string }> = [
  { key: 'circulating', label: 'Open', title: 'Circulating: positions are still being taken' },
  { key: 'adopted', label: 'Adopted', title: 'Adopted' },
  { key: 'adopted-with-reservations', label: 'Reserved', title: 'Adopted with reservations' },
  { key: 'silence-broken', label: 'Broken', title: 'Silence broken: not adopted' },
  { key: undefined, label: 'All', title: 'All proposals' },
];

export function CouncilRoom({ selectedId }: { selectedId: string | undefined }): ReactNode {
  const { me } = useSession();
  const [filter, setFilter] = useState<string | undefined>('circulating');
  const [creating, setCreating] = useState(false);
  const q = useProposals(filter);
  const items = q.data ? orderProposals(q.data) : [];

  return (
    <div className={`split${selectedId ? ' has-selection' : ''}`}>
      <section className="pane list-pane" aria-label="Proposals">
        <div className="pane-head">
          <h2>Council room</h2>
          <button
            type="button"
            className="primary small"
            onClick={() => setCreating(true)}
            disabled={me.organisation.kind !== 'member'}
          >
            New proposal
          </button>
        </div>
        <div className="tabs segmented" role="group" aria-label="Show proposals">
          {FILTERS.map((f) => (
            <button
              key={f.label}
              type="button"
              title={f.title}
              aria-pressed={filter === f.key}
              className={filter === f.key ? 'active' : undefined}
              onClick={() => setFilter(f.key)}
            >
              {f.label}
            </button>
          ))}
        </div>
        {q.isPending && <Loading what="proposals" />}
        {q.isError && <ErrorState error={q.error} what="Council proposals" onRetry={() => void q.refetch()} />}
        {q.isSuccess && items.length === 0 && (
          <Empty>No {filter ? STATUS_LABEL[filter]?.toLowerCase() : ''} proposals.</Empty>
        )}
        {q.isSuccess && items.length > 0 && (
          <VirtualList
            items={items}
            rowHeight={58}
            label="Proposals"
            keyOf={(p) => p.id}
            selectedKey={selectedId}
            onSelect={(p) => navigate('council', p.id)}
            renderRow={(p) => <ProposalRow p={p} mine={me.organisation.code} />}
          />
        )}
      </section>
      <section className="pane detail-pane" aria-label="Proposal">
        {selectedId && (
          <a className="back-to-list" href="#/council">
            ← All proposals
          </a>
        )}
        {creating ? (
          <NewProposal
            onDone={(id) => {
              setCreating(false);
              if (id) navigate('council', id);
            }}
          />
        ) : selectedId ? (
          <ProposalDetail id={selectedId} />
        ) : (
          <Empty>Select a proposal to see its text, each member’s position and the decision record.</Empty>
        )}
      </section>
    </div>
  );
}

function ProposalRow({ p, mine }: { p: ProposalViewT; mine: string }): ReactNode {
  const my = p.positions.find((x) => x.member === mine);
  return (
    <div className="row-proposal">
      <div className="row-line">
        <span className="row-title">{p.title}</span>
        {p.status === 'circulating' && p.silenceEndsAt ? (
          <Countdown deadline={p.silenceEndsAt} />
        ) : (
          <span className={`status ${p.status}`}>{STATUS_LABEL[p.status]}</span>
        )}
      </div>
      <div className="row-line muted small">
        <span>
          {kindLabel(p.kind)} · {p.procedure === 'silence' ? 'silence' : 'meeting'} · by {p.author}
        </span>
        <span>
          {my ? `you: ${POSITION_LABEL[my.position]?.toLowerCase() ?? my.position} · ` : ''}
          {p.positions.length}/{p.membersConcerned}
        </span>
      </div>
    </div>
  );
}
