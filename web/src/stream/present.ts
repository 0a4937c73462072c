/** How the console presents the live stream: the connection state and each event of the feed. */
import { hrefOf } from '../app/router.ts';
import type { StreamEvent } from '../api/types.ts';
import type { StreamState } from './stream-client.ts';

/** The status pill's label, tone and explanation for a connection state. */
export function describeStream(s: StreamState): {
  label: string;
  tone: 'ok' | 'warn' | 'bad' | 'idle';
  detail: string;
} {
  switch (s.kind) {
    case 'live':
      return { label: 'Live', tone: 'ok', detail: `connected since ${new Date(s.since).toLocaleTimeString()}` };
    case 'connecting':
      return { label: s.attempt ? 'Reconnecting' : 'Connecting', tone: 'warn', detail: 'opening the live stream' };
    case 'reconnecting':
      return {
        label: 'Reconnecting',
        tone: 'warn',
        detail: `${s.reason}; retry in ${Math.ceil(s.inMs / 1000)} s (missed events are replayed)`,
      };
    case 'unavailable':
      return { label: 'No live feed', tone: 'idle', detail: `${s.reason}; checking again every 30 s` };
    case 'unauthorized':
      return { label: 'Signed out', tone: 'bad', detail: 'the token was rejected' };
    case 'closed':
      return { label: 'Offline', tone: 'idle', detail: 'stream closed' };
  }
}

function idOf(data: unknown): string | undefined {
  if (data && typeof data === 'object' && 'id' in data && typeof data.id === 'string')
    return (data as { id: string }).id;
  return undefined;
}

function field(data: unknown, name: string): string | undefined {
  if (data && typeof data === 'object' && name in data) {
    const v = (data as Record<string, unknown>)[name];
    return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
  }
  return undefined;
}

/** The console page an event is about, if any. */
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

/** One line for the feed: title, category, status and score when the event carries them. */
export function summary(e: StreamEvent): string {
  const title = field(e.data, 'title');
  const status = field(e.data, 'status');
  const category = field(e.data, 'category');
  const score = field(e.data, 'score');
  const parts = [title, category, status, score ? `score ${Number(score).toFixed(2)}` : undefined].filter(Boolean);
  return parts.length ? parts.join(' · ') : (idOf(e.data) ?? e.event);
}
