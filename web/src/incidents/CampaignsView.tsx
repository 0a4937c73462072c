import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useSession } from '../app/context.tsx';
import { hrefOf } from '../app/router.ts';
import { colourOfCategory } from '../app/theme.ts';
import { Empty, ErrorState, Loading } from '../ui/states.tsx';

/** A suggested campaign: a connected group of strongly correlated incidents (GET /api/v1/campaigns). */
export interface Campaign {
  id: string;
  status: string;
  name: string;
  incidents: string[];
  categories: string[];
  membersTouched: string[];
  firstSeen: string;
  lastSeen: string;
  links: number;
  maxScore: number;
}

/** Position of an instant on a shared time axis, in percent. */
export function axisPercent(t: string, from: number, to: number): number {
  const x = Date.parse(t);
  if (!Number.isFinite(x) || to <= from) return 0;
  return Math.max(0, Math.min(100, ((x - from) / (to - from)) * 100));
}

export function CampaignsView({ selectedId }: { selectedId: string | undefined }): ReactNode {
  const { api } = useSession();
  const q = useQuery({
    queryKey: ['campaigns'],
    queryFn: ({ signal }) => api.get<{ items: Campaign[] }>('/api/v1/campaigns?limit=200', signal),
  });
  const items = q.data?.items ?? [];
  const from = Math.min(...items.map((c) => Date.parse(c.firstSeen)).filter(Number.isFinite));
  const to = Math.max(...items.map((c) => Date.parse(c.lastSeen)).filter(Number.isFinite));
  return (
    <section className="pane solo campaigns" aria-label="Campaigns">
      <div className="pane-head">
        <h2>Campaigns</h2>
        <span className="muted small">suggested from strong correlations between incidents you may read</span>
      </div>
      {q.isPending && <Loading what="campaigns" />}
      {q.isError && <ErrorState error={q.error} what="Campaigns" onRetry={() => void q.refetch()} />}
      {q.isSuccess && items.length === 0 && <Empty>No campaign suggested yet: campaigns appear when several incidents correlate strongly.</Empty>}
      {q.isSuccess && items.length > 0 && (
        <table className="grid campaigns-table">
          <thead>
            <tr>
              <th>Campaign</th>
              <th>Status</th>
              <th>Members touched</th>
              <th>Incidents</th>
              <th style={{ width: '34%' }}>
                Timeline {new Date(from).toLocaleDateString()} – {new Date(to).toLocaleDateString()}
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => {
              const a = axisPercent(c.firstSeen, from, to);
              const b = axisPercent(c.lastSeen, from, to);
              return (
                <tr key={c.id} className={c.id === selectedId ? 'selected' : undefined}>
                  <td>
                    <strong>{c.name}</strong>
                    <div className="small">
                      {c.categories.map((k) => (
                        <span key={k} className="cat" style={{ color: colourOfCategory(k) }}>
                          ● {k}{' '}
                        </span>
                      ))}
                    </div>
                  </td>
                  <td>
                    {c.status}
                    <div className="muted small">
                      {c.links} links · max score {c.maxScore.toFixed(2)}
                    </div>
                  </td>
                  <td>{c.membersTouched.join(' ')}</td>
                  <td className="small">
                    {c.incidents.slice(0, 6).map((id) => (
                      <a key={id} href={hrefOf('incidents', id)} className="ref" title={id}>
                        {id.slice(10, 18)}
                      </a>
                    ))}
                    {c.incidents.length > 6 ? ` +${c.incidents.length - 6}` : ''}
                  </td>
                  <td>
                    <div className="timeline" title={`${c.firstSeen} → ${c.lastSeen}`}>
                      <span style={{ left: `${a}%`, width: `${Math.max(1, b - a)}%`, background: colourOfCategory(c.categories[0] ?? 'other') }} />
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <p className="hint">Confirming, merging and splitting campaigns and coordinated responses need API endpoints this server does not offer yet.</p>
    </section>
  );
}
