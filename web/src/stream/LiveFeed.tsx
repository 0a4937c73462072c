import type { ReactNode } from 'react';
import { hrefOf } from '../app/router.ts';
import type { StreamEvent } from '../api/types.ts';
import { useLiveStream } from './StreamProvider.tsx';
import { describeStream } from './StreamStatus.tsx';

function idOf(data: unknown): string | undefined {
  if (data && typeof data === 'object' && 'id' in data && typeof (data).id === 'string') return (data as { id: string }).id;
  return undefined;
}

function field(data: unknown, name: string): string | undefined {
  if (data && typeof data === 'object' && name in data) {
    const v = (data as Record<string, unknown>)[name];
    return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
  }
  return undefined;
}

export function linkOf(e: StreamEvent): string | undefined {
  const id = idOf(e.data);
  if (!id) return undefined;
  if (id.startsWith('incident--') && e.event.startsWith('incident.')) return hrefOf('incidents', id);
  if (e.event.startsWith('proposal.')) return hrefOf('council', id);
  if (e.event.startsWith('campaign.')) return hrefOf('campaigns', id);
  if (e.event.startsWith('correlation.')) {
    const pair = e.data && typeof e.data === 'object' ? (e.data as { incidents?: unknown }).incidents : undefined;
    const first = Array.isArray(pair) && typeof pair[0] === 'string' ? pair[0] : undefined;
    return first ? hrefOf('incidents', first) : undefined;
  }
  return undefined;
}

function summary(e: StreamEvent): string {
  const title = field(e.data, 'title');
  const status = field(e.data, 'status');
  const category = field(e.data, 'category');
  const score = field(e.data, 'score');
  const parts = [title, category, status, score ? `score ${Number(score).toFixed(2)}` : undefined].filter(Boolean);
  return parts.length ? parts.join(' · ') : (idOf(e.data) ?? e.event);
}

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
        <p className="hint">{state.kind === 'unavailable' ? `${d.detail}.` : 'New incidents, correlations and council updates appear here as they happen.'}</p>
      ) : (
        <ol className="feed-list" aria-live="polite" data-testid="live-feed">
          {events.slice(0, limit).map((e) => {
            const href = linkOf(e);
            return (
              <li key={`${e.id}-${e.receivedAt}`} className={`feed-item ev-${e.event.split('.')[0] ?? 'other'}`}>
                <time className="muted small">{new Date(e.receivedAt).toLocaleTimeString()}</time>
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
