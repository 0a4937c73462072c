import type { ReactNode } from 'react';
import { useLiveStream } from './live.ts';
import { describeStream, linkOf, summary } from './present.ts';
import { formatWhen } from '../app/dates.ts';

export function LiveFeed({ limit = 60 }: { limit?: number }): ReactNode {
  const { events, state, caughtUp } = useLiveStream();
  const d = describeStream(state);
  return (
    <section className="card feed" aria-labelledby="feed-title">
      <div className="pane-head">
        <h2 id="feed-title">Live feed</h2>
        <span className={`muted small tone-${d.tone}`}>
          {d.label}
          {caughtUp > 0 ? ` · caught up ${caughtUp} missed` : ''}
        </span>
      </div>
      {events.length === 0 ? (
        <p className="hint">
          {state.kind === 'unavailable'
            ? `${d.detail}.`
            : 'New incidents, correlations and council updates appear here as they happen.'}
        </p>
      ) : (
        <ol className="feed-list" aria-live="polite" data-testid="live-feed">
          {events.slice(0, limit).map((e) => {
            const href = linkOf(e);
            return (
              <li key={`${e.id}-${e.receivedAt}`} className={`feed-item ev-${e.event.split('.')[0] ?? 'other'}`}>
                <time className="muted small">{formatWhen(e.receivedAt, undefined, 'time')}</time>
                <span className="ev-name">{e.event}</span>
                {href ? <a href={href}>{summary(e)}</a> : <span>{summary(e)}</span>}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
