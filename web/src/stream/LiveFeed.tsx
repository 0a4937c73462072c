import type { ReactNode } from 'react';
import { useQueries } from '@tanstack/react-query';
import { useSession } from '../app/context.tsx';
import type { Incident } from '../api/types.ts';
import { useLiveStream } from './live.ts';
import { describeStream, linkOf } from './present.ts';
import { incidentsOf, sentenceOf } from './sentences.ts';
import { setNotifications, useNotifications } from './notify.ts';
import { formatWhen } from '../app/dates.ts';

/**
 * The live feed: what happened, in sentences, newest first. Its recent history survives a reload (the
 * stream replays it); events not yet marked read are highlighted and counted.
 */
export function LiveFeed({ limit = 60 }: { limit?: number }): ReactNode {
  const { events, state, caughtUp, unread, markAllRead } = useLiveStream();
  const { api } = useSession();
  const d = describeStream(state);
  const shown = events.slice(0, limit);
  // the titles of the incidents a correlation names (the reader may read both, or it would not arrive)
  const ids = [...new Set(shown.flatMap(incidentsOf))];
  const named = useQueries({
    queries: ids.map((id) => ({
      queryKey: ['incident', id],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        api.get<Incident>(`/api/v1/incidents/${encodeURIComponent(id)}`, signal),
      staleTime: 300_000,
      retry: false,
    })),
  });
  const byId = new Map<string, Incident>();
  for (const q of named) if (q.data) byId.set(q.data.id, q.data);
  const notify = useNotifications();
  return (
    <section className="card feed" aria-labelledby="feed-title">
      <div className="pane-head">
        <h2 id="feed-title">
          Live feed
          {unread.size > 0 && (
            <span className="unread-badge" data-testid="feed-unread">
              {unread.size} new
            </span>
          )}
        </h2>
        <span className={`muted small tone-${d.tone}`}>
          {d.label}
          {caughtUp > 0 ? ` · caught up ${caughtUp} missed` : ''}
        </span>
      </div>
      <div className="feed-tools">
        {unread.size > 0 && (
          <button type="button" className="small" onClick={markAllRead}>
            Mark all read
          </button>
        )}
        {notify.supported && (
          <label className="inline small">
            <input
              type="checkbox"
              checked={notify.on}
              disabled={notify.denied}
              onChange={(e) => void setNotifications(e.target.checked)}
              data-testid="feed-notify"
            />{' '}
            {notify.denied ? 'Notifications blocked by the browser' : 'Notify me when this tab is in the background'}
          </label>
        )}
      </div>
      {events.length === 0 ? (
        <p className="hint">
          {state.kind === 'unavailable'
            ? `${d.detail}.`
            : 'New incidents, correlations and council updates appear here as they happen.'}
        </p>
      ) : (
        <ol className="feed-list" aria-live="polite" data-testid="live-feed">
          {shown.map((e) => {
            const href = linkOf(e);
            const text = sentenceOf(e, (id) => byId.get(id));
            const isNew = unread.has(e);
            return (
              <li
                key={`${e.id}-${e.receivedAt}`}
                className={`feed-item ev-${e.event.split('.')[0] ?? 'other'}${isNew ? ' unread' : ''}`}
                data-unread={isNew || undefined}
              >
                <time className="muted small" dateTime={new Date(whenOf(e)).toISOString()}>
                  {e.history ? formatWhen(whenOf(e)) : formatWhen(whenOf(e), undefined, 'time')}
                </time>
                {isNew && <span className="new-mark">new</span>}
                {href ? <a href={href}>{text}</a> : <span>{text}</span>}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

/** When the event happened: the change's own time when it carries one (a replay arrives later). */
function whenOf(e: { data: unknown; receivedAt: number }): string | number {
  const m = e.data && typeof e.data === 'object' ? (e.data as { modified?: unknown }).modified : undefined;
  return typeof m === 'string' && !Number.isNaN(Date.parse(m)) ? m : e.receivedAt;
}
