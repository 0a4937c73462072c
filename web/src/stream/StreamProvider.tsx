import { useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQueryClient, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import { openStream, type StreamHandle, type StreamState } from './stream-client.ts';
import type { StreamEvent } from '../api/types.ts';
import { loadLastEventId, saveLastEventId } from '../auth/session.ts';
import { useSession } from '../app/context.tsx';
import type { Api } from '../api/client.ts';
import type { Incident, Page } from '../api/types.ts';
import type { IncidentFilters } from '../incidents/api.ts';
import { invalidationsOf, parseData } from './events.ts';
import { LiveStreamContext, type LiveStream } from './live.ts';
import { mergeIncident } from './live-merge.ts';
import { FeedHistory, unreadOf, type FeedEvent } from './feed-history.ts';
import { notifyOf } from './notify.ts';

/** Reads the incident an event announces and merges it into every cached list and its detail. */
async function applyIncident(qc: QueryClient, api: Api, id: string): Promise<void> {
  let i: Incident;
  try {
    i = await api.get<Incident>(`/api/v1/incidents/${encodeURIComponent(id)}`);
  } catch {
    return void qc.invalidateQueries({ queryKey: ['incidents'] });
  }
  qc.setQueryData(['incident', i.id], i);
  void qc.invalidateQueries({ queryKey: ['incident', i.id], exact: false, predicate: (q) => q.queryKey.length > 2 });
  for (const [key] of qc.getQueriesData({ queryKey: ['incidents'] })) {
    const filters = (key[1] ?? {}) as IncidentFilters;
    qc.setQueryData<InfiniteData<Page<Incident>, string | undefined>>(key, (d) => mergeIncident(d, i, filters));
  }
}

function idOfData(d: unknown): string | undefined {
  return d && typeof d === 'object' && typeof (d as { id?: unknown }).id === 'string'
    ? (d as { id: string }).id
    : undefined;
}

export function StreamProvider({
  sessionKey,
  onUnauthorized,
  children,
}: {
  /** The stream reopens when the session changes; the session cookie signs it in. */
  sessionKey: string;
  onUnauthorized: () => void;
  children: ReactNode;
}): ReactNode {
  const qc = useQueryClient();
  const { api } = useSession();
  const apiRef = useRef(api);
  const [state, setState] = useState<StreamState>({ kind: 'connecting', attempt: 0 });
  // the feed's recent history comes back on a reload from the stream's catch-up (feed-history.ts)
  const [feed] = useState(() => new FeedHistory(sessionStorage, loadLastEventId()));
  const [events, setEvents] = useState<FeedEvent[]>(() => feed.events);
  const [readUpTo, setReadUpTo] = useState<string | undefined>(() => feed.readUpTo);
  const [caughtUp, setCaughtUp] = useState(0);
  const handle = useRef<StreamHandle | null>(null);
  const unauthorized = useRef(onUnauthorized);
  // the stream's handlers use the latest api and callback without reopening the stream
  useLayoutEffect(() => {
    apiRef.current = api;
    unauthorized.current = onUnauthorized;
  });

  useEffect(() => {
    let connectedAt = 0;
    let everLive = false;
    const h = openStream({
      url: '/api/v1/stream',
      token: () => null,
      lastEventId: feed.resumeFrom,
      onMessage: (m) => {
        if (m.id) saveLastEventId(m.id);
        const received: StreamEvent = { id: m.id, event: m.event, data: parseData(m.data), receivedAt: Date.now() };
        const ev = feed.add(received);
        setEvents(feed.events);
        // what this tab had already received before a reload changes nothing loaded since
        if (ev.history) return;
        notifyOf(ev, (i) => qc.getQueryData<Incident>(['incident', i]));
        // a message within the first second of a reconnection is the server's catch-up replay
        if (everLive && Date.now() - connectedAt < 1000) setCaughtUp((n) => n + 1);
        for (const key of invalidationsOf(m.event)) void qc.invalidateQueries({ queryKey: key });
        const id = idOfData(ev.data);
        if (m.event.startsWith('incident.') && id) void applyIncident(qc, apiRef.current, id);
      },
      onState: (s) => {
        if (s.kind === 'live') {
          if (everLive) {
            setCaughtUp(0);
            // anything missed while away: lists refetch as well as the replay arriving
            void qc.invalidateQueries();
          }
          everLive = true;
          connectedAt = Date.now();
        }
        if (s.kind === 'unauthorized') unauthorized.current();
        setState(s);
      },
    });
    handle.current = h;
    return () => h.close();
  }, [sessionKey, qc, feed]);

  const value = useMemo<LiveStream>(() => {
    const unread = unreadOf(events, readUpTo);
    return {
      state,
      events,
      caughtUp,
      unread: new Set(unread),
      markAllRead: () => {
        feed.markAllRead();
        setReadUpTo(feed.readUpTo);
      },
      reconnectNow: () => handle.current?.reconnectNow(),
    };
  }, [state, events, caughtUp, readUpTo, feed]);
  return <LiveStreamContext.Provider value={value}>{children}</LiveStreamContext.Provider>;
}
