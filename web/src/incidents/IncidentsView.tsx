import { useMemo, useState, type ReactNode } from 'react';
import { useSession } from '../app/context.tsx';
import { navigate } from '../app/router.ts';
import { CATEGORIES, type Incident } from '../api/types.ts';
import { colourOfCategory } from '../app/theme.ts';
import { Empty, ErrorState, Loading } from '../ui/states.tsx';
import { VirtualList } from '../ui/VirtualList.tsx';
import { TlpBadge } from '../ui/TlpBadge.tsx';
import { useIncidentPages, type IncidentFilters } from './api.ts';
import { IncidentDetail } from './IncidentDetail.tsx';
import { formatWhen } from '../app/dates.ts';

export function IncidentsView({ selectedId }: { selectedId: string | undefined }): ReactNode {
  const { members } = useSession();
  const [filters, setFilters] = useState<IncidentFilters>({});
  const [text, setText] = useState('');
  const q = useIncidentPages(filters);
  const all = useMemo(() => q.data?.pages.flatMap((p) => p.items) ?? [], [q.data]);
  const items = useMemo(() => {
    const t = text.trim().toLowerCase();
    return t ? all.filter((i) => i.title.toLowerCase().includes(t) || i.id.includes(t)) : all;
  }, [all, text]);
  const set = (k: keyof IncidentFilters, v: string): void => setFilters((f) => ({ ...f, [k]: v || undefined }));

  return (
    <div className={`split${selectedId ? ' has-selection' : ''}`}>
      <section className="pane list-pane wide-list" aria-label="Incidents">
        <div className="pane-head">
          <h2>Incidents</h2>
          <span className="muted small" data-testid="incident-count">
            {q.isSuccess ? `${items.length}${q.hasNextPage ? '+' : ''} shown` : ''}
          </span>
          <a className="button primary small" href="#/report">
            Report
          </a>
        </div>
        <div className="filters" role="search">
          <input
            type="search"
            placeholder="Filter loaded titles"
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-label="Filter by title"
          />
          <select
            aria-label="Category"
            value={filters.category ?? ''}
            onChange={(e) => set('category', e.target.value)}
          >
            <option value="">all categories</option>
            {CATEGORIES.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
          <select
            aria-label="Affected member"
            value={filters.member ?? ''}
            onChange={(e) => set('member', e.target.value)}
          >
            <option value="">all members</option>
            {members.map((m) => (
              <option key={m.code} value={m.code}>
                {m.code} · {m.name}
              </option>
            ))}
          </select>
          <input
            type="date"
            aria-label="Since"
            value={filters.since?.slice(0, 10) ?? ''}
            onChange={(e) => set('since', e.target.value ? `${e.target.value}T00:00:00Z` : '')}
          />
        </div>
        {q.isPending && <Loading what="incidents" />}
        {q.isError && <ErrorState error={q.error} what="Incidents" onRetry={() => void q.refetch()} />}
        {q.isSuccess && items.length === 0 && (
          <Empty>No incidents match. Reported incidents you may read appear here live.</Empty>
        )}
        {q.isSuccess && items.length > 0 && (
          <VirtualList
            items={items}
            rowHeight={52}
            label="Incidents"
            keyOf={(i) => i.id}
            selectedKey={selectedId}
            onSelect={(i) => navigate('incidents', i.id)}
            onEndReached={q.hasNextPage && !q.isFetchingNextPage ? () => void q.fetchNextPage() : undefined}
            renderRow={(i) => <IncidentRow i={i} />}
          />
        )}
        {q.isFetchingNextPage && <div className="muted small pad">loading more…</div>}
      </section>
      <section className="pane detail-pane" aria-label="Incident detail">
        {selectedId && (
          <a className="back-to-list" href="#/incidents">
            ← All incidents
          </a>
        )}
        {selectedId ? (
          <IncidentDetail id={selectedId} />
        ) : (
          <Empty>
            Select an incident (j/k, Enter) to see its details, correlations, history and treaty assessment.
          </Empty>
        )}
      </section>
    </div>
  );
}

function IncidentRow({ i }: { i: Incident }): ReactNode {
  return (
    <div className="row-incident" data-testid="incident-row">
      <span className="cat-bar" style={{ background: colourOfCategory(i.category) }} aria-hidden="true" />
      <div className="row-body">
        <div className="row-line">
          <span className="row-title">{i.title}</span>
          <TlpBadge tlp={i.tlp} />
        </div>
        <div className="row-line muted small">
          <span>
            {i.category} · {i.affectedMembers.join(' ')}
          </span>
          <span>
            {i.author} · {formatWhen(i.occurredAt)}
          </span>
        </div>
      </div>
    </div>
  );
}
