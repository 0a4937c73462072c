import type { ReactNode } from 'react';
import { hrefOf } from '../app/router.ts';
import type { PageProps } from '../app/routes.tsx';
import { Empty, ErrorState, Loading } from '../ui/states.tsx';
import { FIELD_LABEL, useSearch } from './api.ts';

/** Results of the global search box: incidents and campaigns the organisation may read. */
export function SearchView({ id }: PageProps): ReactNode {
  const q = id ?? '';
  const r = useSearch(q);
  return (
    <section className="page-scroll" aria-labelledby="search-title">
      <h1 id="search-title">Search: “{q}”</h1>
      <p className="muted">Titles, descriptions, observables, narratives and campaign names you may read.</p>
      {!q.trim() && <Empty>Type in the search box above (shortcut /).</Empty>}
      {r.isPending && q.trim() && <Loading what="results" />}
      {r.isError && <ErrorState error={r.error} what="Search" onRetry={() => void r.refetch()} />}
      {r.isSuccess && r.data.items.length === 0 && <Empty>Nothing you may read matches “{q}”.</Empty>}
      {r.isSuccess && r.data.items.length > 0 && (
        <ol className="results" data-testid="search-results">
          {r.data.items.map((h) => (
            <li key={h.id}>
              <a href={hrefOf(h.kind === 'incident' ? 'incidents' : 'campaigns', h.id)} className="result-title">
                {h.title}
              </a>{' '}
              <span className="muted small">
                {h.kind === 'campaign' ? 'campaign' : h.category}
                {h.occurredAt ? ` · ${h.occurredAt.slice(0, 10)}` : ''}
              </span>
              <ul className="result-matches">
                {h.matches.map((m, k) => (
                  <li key={k}>
                    <span className="muted small">{FIELD_LABEL[m.field]}:</span> {m.text}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
