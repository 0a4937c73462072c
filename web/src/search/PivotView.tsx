import type { ReactNode } from 'react';
import { hrefOf } from '../app/router.ts';
import type { PageProps } from '../app/routes.tsx';
import { Empty, ErrorState, Loading } from '../ui/states.tsx';
import { parsePivotKey, usePivot } from './api.ts';

/** Every incident the organisation may read that holds one observable value. */
export function PivotView({ id }: PageProps): ReactNode {
  const { type, value } = parsePivotKey(id);
  const r = usePivot(type, value);
  return (
    <section className="page-scroll" aria-labelledby="pivot-title">
      <h1 id="pivot-title">
        Every incident with <code>{value}</code>
      </h1>
      <p className="muted">
        {type} · incidents you may read, newest first; the same value in another spelling (defanged, upper case) counts
        too.
      </p>
      {!type && <Empty>Pick an observable on an incident to see every incident that holds it.</Empty>}
      {r.isPending && type && <Loading what="incidents" />}
      {r.isError && <ErrorState error={r.error} what="Incidents with this value" onRetry={() => void r.refetch()} />}
      {r.isSuccess && r.data.items.length === 0 && <Empty>No incident you may read holds this value.</Empty>}
      {r.isSuccess && r.data.items.length > 0 && (
        <table className="grid" data-testid="pivot-results">
          <caption className="sr-only">Incidents holding {value}</caption>
          <thead>
            <tr>
              <th scope="col">Occurred</th>
              <th scope="col">Incident</th>
              <th scope="col">Category</th>
              <th scope="col">Reported by</th>
              <th scope="col">Affected</th>
            </tr>
          </thead>
          <tbody>
            {r.data.items.map((i) => (
              <tr key={i.id}>
                <td>{i.occurredAt.slice(0, 10)}</td>
                <td>
                  <a href={hrefOf('incidents', i.id)}>{i.title}</a>
                </td>
                <td>{i.category}</td>
                <td>{i.author}</td>
                <td>{i.members.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
