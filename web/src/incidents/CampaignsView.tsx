import type { ReactNode } from 'react';
import { hrefOf } from '../app/router.ts';
import { colourOfCategory } from '../app/theme.ts';
import { useCampaigns, type Campaign } from '../campaigns/api.ts';
import { CampaignDetail } from '../campaigns/CampaignDetail.tsx';
import { axisPercent, partitionCampaigns } from '../campaigns/logic.ts';
import { Empty, ErrorState, Loading } from '../ui/states.tsx';

export type { Campaign };

/** Campaigns: confirmed ones, then suggestions; the selected one opens on the right (keyboard: Tab, Enter). */
export function CampaignsView({ selectedId }: { selectedId: string | undefined }): ReactNode {
  const q = useCampaigns();
  const items = q.data?.items ?? [];
  const { confirmed, suggested } = partitionCampaigns(items);
  const from = Math.min(...items.map((c) => Date.parse(c.firstSeen)).filter(Number.isFinite));
  const to = Math.max(...items.map((c) => Date.parse(c.lastSeen)).filter(Number.isFinite));
  const selected = items.find((c) => c.id === selectedId);
  return (
    <div className="split campaigns">
      <section className="pane list-pane" aria-label="Campaigns">
        <div className="pane-head">
          <h2>Campaigns</h2>
        </div>
        {q.isPending && <Loading what="campaigns" />}
        {q.isError && <ErrorState error={q.error} what="Campaigns" onRetry={() => void q.refetch()} />}
        {q.isSuccess && items.length === 0 && (
          <Empty>No campaign yet: campaigns are suggested when several incidents correlate strongly.</Empty>
        )}
        {q.isSuccess && items.length > 0 && (
          <>
            <CampaignList
              title="Confirmed"
              items={confirmed}
              selectedId={selectedId}
              from={from}
              to={to}
              empty="None confirmed yet: open a suggestion to confirm it."
            />
            <CampaignList
              title="Suggested"
              items={suggested}
              selectedId={selectedId}
              from={from}
              to={to}
              empty="No open suggestion."
            />
          </>
        )}
      </section>
      <section className="pane detail-pane" aria-label="Campaign detail">
        {selected ? (
          <CampaignDetail key={selected.id} c={selected} all={items} />
        ) : (
          q.isSuccess && (
            <Empty>
              {selectedId
                ? 'This campaign is no longer listed (merged, split or not visible to you).'
                : 'Choose a campaign to confirm it, rename, merge or split it, or coordinate a response.'}
            </Empty>
          )
        )}
      </section>
    </div>
  );
}

function CampaignList({
  title,
  items,
  selectedId,
  from,
  to,
  empty,
}: {
  title: string;
  items: Campaign[];
  selectedId: string | undefined;
  from: number;
  to: number;
  empty: string;
}): ReactNode {
  return (
    <>
      <h3>
        {title} ({items.length})
      </h3>
      {items.length === 0 ? (
        <p className="hint">{empty}</p>
      ) : (
        <ul className="campaign-list" aria-label={`${title} campaigns`}>
          {items.map((c) => {
            const a = axisPercent(c.firstSeen, from, to);
            const b = axisPercent(c.lastSeen, from, to);
            return (
              <li key={c.id} className={c.id === selectedId ? 'selected' : undefined}>
                <a
                  href={hrefOf('campaigns', c.id)}
                  aria-current={c.id === selectedId ? 'true' : undefined}
                  data-status={c.status}
                >
                  <strong>{c.name}</strong>
                </a>
                <div className="small muted">
                  {c.incidents.length} incidents · {c.membersTouched.join(' ')}
                  {c.status === 'confirmed'
                    ? ` · ${c.author ?? ''} · confidence ${c.confidence ?? '—'}`
                    : ` · strongest link ${Math.round(c.maxScore * 100)}% alike`}
                </div>
                <div className="small">
                  {c.categories.map((k) => (
                    <span key={k} className="cat" style={{ color: colourOfCategory(k) }}>
                      ● {k}{' '}
                    </span>
                  ))}
                </div>
                <div className="timeline" title={`${c.firstSeen} → ${c.lastSeen}`}>
                  <span
                    style={{
                      left: `${a}%`,
                      width: `${Math.max(1, b - a)}%`,
                      background: colourOfCategory(c.categories[0] ?? 'other'),
                    }}
                  />
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
